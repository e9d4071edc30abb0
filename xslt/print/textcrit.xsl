<?xml version="1.0" encoding="UTF-8"?>
<!-- Corrections, regularisations and variant readings: the edited reading in the running text with a
     letter, and an apparatus after the document ("Eden] Ideia in the source"). Which reading is shown
     is decided in common/readings.xsl, the letters and the entries in common/apparatus.xsl, for the
     web too. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition.example/ns"
    exclude-result-prefixes="#all">

  <xsl:template name="ed:app-mark">
    <xsl:text>#app-mark[</xsl:text>
    <xsl:value-of select="ed:app-letter(.)"/>
    <xsl:text>]</xsl:text>
  </xsl:template>

  <!-- The edited reading, or with [pdf] reading = "source" the source's (a diplomatic transcription). -->
  <xsl:template match="tei:choice">
    <xsl:apply-templates select="ed:printed-reading(., $reading)/node()"/>
    <xsl:call-template name="ed:app-mark"/>
  </xsl:template>

  <xsl:template match="tei:app">
    <xsl:apply-templates select="ed:app-reading(.)/node()"/>
    <xsl:call-template name="ed:app-mark"/>
  </xsl:template>

  <!-- The apparatus: one entry per letter, after the text, in the words common/apparatus.xsl gives
       the web edition too. -->
  <xsl:template name="ed:apparatus">
    <xsl:variable name="entries" select="ed:apparatus-items(/tei:TEI/tei:text)"/>
    <xsl:if test="$entries">
      <xsl:text>&#10;&#10;#apparatus(</xsl:text>
      <xsl:for-each select="$entries">
        <xsl:text>&#10;  ([</xsl:text>
        <xsl:value-of select="ed:app-letter(.)"/>
        <xsl:text>], [</xsl:text>
        <xsl:value-of select="ed:typst-escape(ed:app-entry(., $reading))"/>
        <xsl:text>]),</xsl:text>
      </xsl:for-each>
      <xsl:text>&#10;)&#10;</xsl:text>
    </xsl:if>
  </xsl:template>

  <!-- Plain mode: the text of a reading as it is printed, without marks, notes or index anchors. -->
  <xsl:template match="*" mode="ed:plain">
    <xsl:apply-templates mode="ed:plain"/>
  </xsl:template>
  <xsl:template match="tei:note | tei:pb | tei:lb[@break = 'no']" mode="ed:plain"/>
  <xsl:template match="tei:lb" mode="ed:plain"><xsl:text> </xsl:text></xsl:template>
  <xsl:template match="tei:choice" mode="ed:plain">
    <xsl:apply-templates select="ed:shown-reading(.)/node()" mode="ed:plain"/>
  </xsl:template>
  <xsl:template match="tei:app" mode="ed:plain">
    <xsl:apply-templates select="ed:app-reading(.)/node()" mode="ed:plain"/>
  </xsl:template>
  <xsl:template match="tei:supplied" mode="ed:plain">
    <xsl:text>\[</xsl:text>
    <xsl:apply-templates mode="ed:plain"/>
    <xsl:text>\]</xsl:text>
  </xsl:template>
  <xsl:template match="tei:gap" mode="ed:plain"><xsl:text>\[…\]</xsl:text></xsl:template>
</xsl:stylesheet>
