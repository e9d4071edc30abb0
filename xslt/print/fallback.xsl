<?xml version="1.0" encoding="UTF-8"?>
<!-- Elements without a print rule of their own: printed by their behaviour (xslt/common/behaviour.xsl),
     their text kept, and reported, so that nothing disappears silently. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition.example/ns"
    exclude-result-prefixes="#all">

  <xsl:template match="*" priority="-10">
    <xsl:variable name="behaviour" select="ed:behaviour(.)"/>
    <xsl:call-template name="ed:report">
      <xsl:with-param name="code" select="'pdf.fallback'"/>
      <xsl:with-param name="name" select="name(.)"/>
      <xsl:with-param name="path" select="path(.)"/>
      <xsl:with-param name="detail" select="$behaviour"/>
    </xsl:call-template>
    <xsl:choose>
      <xsl:when test="$behaviour = 'block'">
        <xsl:call-template name="ed:block">
          <xsl:with-param name="content"><xsl:apply-templates/></xsl:with-param>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="$behaviour = 'note'">
        <xsl:text>#footnote[</xsl:text>
        <xsl:apply-templates/>
        <xsl:text>]</xsl:text>
      </xsl:when>
      <xsl:when test="$behaviour = ('break', 'metadata', 'omit')"/>
      <xsl:otherwise>
        <xsl:apply-templates/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
