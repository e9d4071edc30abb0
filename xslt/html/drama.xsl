<?xml version="1.0" encoding="UTF-8"?>
<!-- TEI chapter "Performance Texts" (sp, speaker, stage), used for records of conversations: each
     turn is visibly marked with the speaker's name and a colour derived from the person's id. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition.example/ns"
    xmlns:h="https://edition.example/ns/html"
    exclude-result-prefixes="#all">

  <xsl:template match="tei:sp">
    <xsl:variable name="who" select="tokenize(normalize-space(@who), ' ')"/>
    <xsl:variable name="first" select="if (exists($who)) then ed:id($who[1]) else ''"/>
    <section class="sp">
      <xsl:call-template name="h:attrs"/>
      <xsl:if test="$first">
        <xsl:attribute name="data-who" select="$first"/>
        <xsl:attribute name="style" select="'--speaker-hue: ' || h:hue($first)"/>
      </xsl:if>
      <xsl:choose>
        <xsl:when test="tei:speaker"/>
        <xsl:when test="exists($who)">
          <!-- No <speaker> in the source (reported speech): the label is the editors', from the register. -->
          <div class="speaker-label generated" data-pagefind-ignore="">
            <xsl:value-of select="ed:join-names(ed:speaker-names(., 'name'))"/>
          </div>
        </xsl:when>
      </xsl:choose>
      <xsl:apply-templates/>
    </section>
  </xsl:template>

  <xsl:template match="tei:speaker">
    <div class="speaker-label"><xsl:call-template name="h:attrs"/><xsl:apply-templates/></div>
  </xsl:template>

  <xsl:template match="tei:stage">
    <xsl:element name="{if (parent::tei:sp or parent::tei:div or parent::tei:body) then 'div' else 'span'}">
      <xsl:attribute name="class" select="'tei-stage'"/>
      <xsl:call-template name="h:attrs"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:castList | tei:castGroup | tei:castItem | tei:role | tei:roleDesc | tei:set">
    <div class="tei-{local-name()}"><xsl:call-template name="h:attrs"/><xsl:apply-templates/></div>
  </xsl:template>
</xsl:stylesheet>
