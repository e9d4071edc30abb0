<?xml version="1.0" encoding="UTF-8"?>
<!-- Corrections, regularisations and variant readings: the edited reading in the running text with a
     letter, and an apparatus after the document ("Eden] Ideia in the source"). Which reading is shown
     is decided in common/readings.xsl, for the web too.

     The letters are counted over every element that has an apparatus entry (choice, app, supplied),
     so the mark in the text and its entry always agree. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition.example/ns"
    exclude-result-prefixes="#all">

  <xsl:function name="ed:app-letter" as="xs:string">
    <xsl:param name="element" as="element()"/>
    <xsl:number select="$element" level="any" from="tei:text" format="a"
                count="tei:choice | tei:app | tei:supplied"/>
  </xsl:function>

  <xsl:template name="ed:app-mark">
    <xsl:text>#app-mark[</xsl:text>
    <xsl:value-of select="ed:app-letter(.)"/>
    <xsl:text>]</xsl:text>
  </xsl:template>

  <xsl:template match="tei:choice">
    <xsl:apply-templates select="ed:shown-reading(.)/node()"/>
    <xsl:call-template name="ed:app-mark"/>
  </xsl:template>

  <xsl:template match="tei:app">
    <xsl:apply-templates select="ed:app-reading(.)/node()"/>
    <xsl:call-template name="ed:app-mark"/>
  </xsl:template>

  <!-- The apparatus: one entry per letter, after the text. -->
  <xsl:template name="ed:apparatus">
    <xsl:variable name="entries" select="/tei:TEI/tei:text//(tei:choice | tei:app | tei:supplied)"/>
    <xsl:if test="$entries">
      <xsl:text>&#10;&#10;#apparatus(</xsl:text>
      <xsl:for-each select="$entries">
        <xsl:text>&#10;  ([</xsl:text>
        <xsl:value-of select="ed:app-letter(.)"/>
        <xsl:text>], [</xsl:text>
        <xsl:apply-templates select="." mode="ed:apparatus"/>
        <xsl:text>]),</xsl:text>
      </xsl:for-each>
      <xsl:text>&#10;)&#10;</xsl:text>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:choice" mode="ed:apparatus">
    <xsl:variable name="shown" select="ed:shown-reading(.)"/>
    <xsl:value-of select="ed:lemma($shown)"/>
    <xsl:text>\] </xsl:text>
    <xsl:for-each select="* except $shown">
      <xsl:if test="position() gt 1">; </xsl:if>
      <xsl:apply-templates select="node()" mode="ed:plain"/>
      <xsl:value-of select="if (self::tei:abbr) then ' abbreviated in the source' else ' in the source'"/>
    </xsl:for-each>
    <!-- the editors' certainty in a reader's words -->
    <xsl:if test="$shown/@cert and not($shown/@cert = 'high')">
      <xsl:value-of select="if ($shown/@cert = 'medium') then '; conjecture' else '; doubtful conjecture'"/>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:app" mode="ed:apparatus">
    <xsl:variable name="shown" select="ed:app-reading(.)"/>
    <xsl:value-of select="ed:lemma($shown)"/>
    <xsl:text>\] </xsl:text>
    <xsl:for-each select="ed:app-variants(.)">
      <xsl:if test="position() gt 1">; </xsl:if>
      <xsl:apply-templates select="node()" mode="ed:plain"/>
      <xsl:if test="@wit">
        <xsl:value-of select="' ' || ed:typst-escape(string-join(for $w in tokenize(normalize-space(@wit), ' ') return ed:id($w), ', '))"/>
      </xsl:if>
    </xsl:for-each>
    <!-- the editors' note on the variation, after the readings -->
    <xsl:for-each select="ed:app-notes(.)">
      <xsl:text>. </xsl:text>
      <xsl:apply-templates select="node()" mode="ed:plain"/>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="tei:supplied" mode="ed:apparatus">
    <xsl:text>\[</xsl:text>
    <xsl:value-of select="ed:lemma(.)"/>
    <xsl:text>\] supplied by the editors</xsl:text>
    <xsl:if test="normalize-space(@reason)">
      <xsl:value-of select="' (' || ed:typst-escape(translate(normalize-space(@reason), '-_', '  ')) || ')'"/>
    </xsl:if>
  </xsl:template>

  <!-- A lemma as plain text; a long one shortened to its first and last words ("He would … is planned."). -->
  <xsl:function name="ed:lemma" as="xs:string">
    <xsl:param name="reading" as="element()?"/>
    <xsl:variable name="plain" as="xs:string">
      <xsl:value-of><xsl:apply-templates select="$reading/node()" mode="ed:plain"/></xsl:value-of>
    </xsl:variable>
    <xsl:variable name="words" select="tokenize(normalize-space($plain), ' ')"/>
    <xsl:sequence select="if (count($words) le 6) then normalize-space($plain)
        else string-join(($words[position() le 2], '…', $words[position() gt last() - 2]), ' ')"/>
  </xsl:function>

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
