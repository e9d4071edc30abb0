<?xml version="1.0" encoding="UTF-8"?>
<!-- Names and dates: every pointer to a register leaves an index anchor (#mention) before the name,
     so that the indexes can list the pages on which the person, organisation or place occurs. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition.example/ns"
    exclude-result-prefixes="#all">

  <xsl:template match="tei:persName | tei:placeName | tei:orgName | tei:rs | tei:name">
    <xsl:variable name="kind" select="
        if (self::tei:placeName or @type = ('place', 'settlement', 'country')) then 'place'
        else if (self::tei:orgName or @type = ('org', 'organisation', 'organization')) then 'org'
        else 'person'"/>
    <xsl:value-of select="ed:mentions(@ref, $kind, false())" separator=""/>
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template match="tei:date | tei:time | tei:geogName">
    <xsl:apply-templates/>
  </xsl:template>

  <!-- Name parts: spaced even where the encoding runs them together. -->
  <xsl:template match="tei:roleName | tei:forename | tei:surname | tei:addName | tei:genName | tei:nameLink
                       | tei:settlement | tei:region | tei:country | tei:district | tei:bloc">
    <xsl:value-of select="ed:space-between(.)"/>
    <xsl:apply-templates/>
  </xsl:template>
</xsl:stylesheet>
