<?xml version="1.0" encoding="UTF-8"?>
<!-- TEI chapter "Names, Dates, People, and Places": names link to the register pages. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition.example/ns"
    xmlns:h="https://edition.example/ns/html"
    exclude-result-prefixes="#all">

  <!-- A name with a @ref into the registers links to the entry's page (title: the register's name);
       an external authority URI links out; anything else keeps its text in a span. -->
  <xsl:template match="tei:persName | tei:placeName | tei:orgName | tei:rs | tei:geogName">
    <xsl:variable name="pointer" select="(@ref, @key[contains(., '#')])[1]"/>
    <xsl:variable name="entity" select="if ($pointer) then h:entity($pointer, .) else ()"/>
    <xsl:variable name="target" select="if (not(h:can-link(.))) then ()
                                        else if (exists($entity)) then h:href($entity?href)
                                        else if ($pointer) then h:link-target($pointer, .) else ()"/>
    <xsl:variable name="class" select="string-join(('name', 'tei-' || local-name(), @type ! ('type-' || replace(., '[^\w-]', '_')),
                                       if (exists($entity)) then 'kind-' || $entity?kind else ()), ' ')"/>
    <xsl:choose>
      <xsl:when test="$target">
        <a class="{$class}" href="{$target}">
          <xsl:call-template name="h:attrs"/>
          <xsl:if test="exists($entity)"><xsl:attribute name="title" select="$entity?name"/></xsl:if>
          <xsl:if test="matches($target, '^https?:', 'i')"><xsl:attribute name="rel" select="'noopener'"/></xsl:if>
          <xsl:apply-templates/>
        </a>
      </xsl:when>
      <xsl:otherwise>
        <span class="{$class}">
          <xsl:call-template name="h:attrs"/>
          <xsl:if test="exists($entity)"><xsl:attribute name="title" select="$entity?name"/></xsl:if>
          <xsl:apply-templates/>
        </span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A link cannot hold a link: a name inside a name or a ref keeps its text only. -->
  <xsl:template match="(tei:persName | tei:placeName | tei:orgName | tei:rs | tei:geogName)
                       [ancestor::*[self::tei:persName or self::tei:placeName or self::tei:orgName or self::tei:rs
                                    or self::tei:geogName or self::tei:ref][@ref or @target]]" priority="2">
    <span class="name tei-{local-name()}"><xsl:call-template name="h:attrs"/><xsl:apply-templates/></span>
  </xsl:template>

  <xsl:template match="tei:forename | tei:surname | tei:roleName | tei:addName | tei:genName | tei:nameLink
                       | tei:settlement | tei:country | tei:region | tei:district | tei:bloc">
    <span class="tei-{local-name()}"><xsl:call-template name="h:attrs"/><xsl:apply-templates/></span>
  </xsl:template>

  <!-- Dates: <time> with the machine-readable date when it is one. -->
  <xsl:template match="tei:date">
    <xsl:variable name="when" select="(@when, @when-iso)[1]"/>
    <xsl:choose>
      <xsl:when test="matches(string($when), '^-?\d{4}(-\d{2}(-\d{2})?)?(T[\d:.]+Z?)?$')">
        <time class="tei-date" datetime="{$when}"><xsl:call-template name="h:attrs"/><xsl:apply-templates/></time>
      </xsl:when>
      <xsl:otherwise>
        <span class="tei-date"><xsl:call-template name="h:attrs"/><xsl:apply-templates/></span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
