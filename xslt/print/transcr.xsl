<?xml version="1.0" encoding="UTF-8"?>
<!-- The transcription: the source's page breaks (marginal folio markers), omissions, supplied text,
     unclear and damaged passages, additions and deletions. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition.example/ns"
    exclude-result-prefixes="#all">

  <!-- "‖" in the text and its label ("L. 116", "p. [2]": common/breaks.xsl) in the outer margin. -->
  <xsl:template match="tei:pb">
    <xsl:text>#folio(</xsl:text>
    <xsl:if test="@break = 'no'">joined: true, </xsl:if>
    <xsl:text>[</xsl:text>
    <xsl:value-of select="ed:typst-escape(ed:break-label(.))"/>
    <xsl:text>])</xsl:text>
  </xsl:template>

  <xsl:template match="tei:cb | tei:milestone | tei:gb"/>

  <!-- An omission, with what the encoder says was left out ("[… illegible: two words]"). -->
  <xsl:template match="tei:gap">
    <xsl:text>#gap()</xsl:text>
    <xsl:variable name="about" select="string-join((tei:desc/normalize-space()[.],
        @reason[normalize-space()] ! replace(., '[-_]', ' '),
        (@quantity || ' ' || (@unit, 'units')[1])[exists(current()/@quantity)]), '; ')"/>
    <xsl:if test="$about">
      <xsl:value-of select="' #emph[\(' || ed:typst-escape($about) || '\)]'"/>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:space | tei:handShift | tei:caesura | tei:anchor"/>

  <!-- Supplied text in square brackets, with an apparatus letter (textcrit.xsl). -->
  <xsl:template match="tei:supplied">
    <xsl:text>#supplied[</xsl:text>
    <xsl:apply-templates/>
    <xsl:text>]</xsl:text>
    <xsl:call-template name="ed:app-mark"/>
  </xsl:template>

  <xsl:template match="tei:unclear | tei:damage | tei:add | tei:restore">
    <xsl:apply-templates/>
  </xsl:template>

  <!-- A substitution: the deleted reading struck through, then the added one, a space between. -->
  <xsl:template match="tei:subst">
    <xsl:for-each select="*">
      <xsl:if test="position() gt 1"><xsl:text> </xsl:text></xsl:if>
      <xsl:apply-templates select="."/>
    </xsl:for-each>
  </xsl:template>

  <!-- A deletion of the source is shown struck through (it is source text, not to be lost). -->
  <xsl:template match="tei:del">
    <xsl:text>#strike[</xsl:text>
    <xsl:apply-templates/>
    <xsl:text>]</xsl:text>
  </xsl:template>

  <!-- sic or corr outside a choice: the text as it stands. -->
  <xsl:template match="tei:sic | tei:corr | tei:orig | tei:reg | tei:abbr | tei:expan">
    <xsl:apply-templates/>
  </xsl:template>
</xsl:stylesheet>
