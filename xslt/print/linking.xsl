<?xml version="1.0" encoding="UTF-8"?>
<!-- Links, figures and what has no text of its own. A link to the web keeps its target: printed in a
     footnote after the link's text, since paper cannot follow it; a link within the edition prints
     its text only. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition.example/ns"
    exclude-result-prefixes="#all">

  <xsl:function name="ed:external" as="xs:string*">
    <xsl:param name="element" as="element()"/>
    <xsl:sequence select="tokenize(normalize-space($element/@target), ' ')[matches(., '^(https?|ftp|mailto):', 'i')]"/>
  </xsl:function>

  <xsl:template match="tei:ref">
    <xsl:apply-templates/>
    <xsl:variable name="targets" select="ed:external(.)"/>
    <xsl:if test="exists($targets) and not(ancestor::tei:note)">
      <xsl:value-of select="'#footnote[' || ed:typst-escape(string-join($targets, ' ')) || ']'"/>
    </xsl:if>
  </xsl:template>

  <!-- A pointer has no text: a web address is printed (in a footnote), one within the edition is not. -->
  <xsl:template match="tei:ptr">
    <xsl:variable name="targets" select="ed:external(.)"/>
    <xsl:if test="exists($targets)">
      <xsl:value-of select="(if (ancestor::tei:note) then ' ' else '#footnote[')
                            || ed:typst-escape(string-join($targets, ' ')) || (if (ancestor::tei:note) then '' else ']')"/>
    </xsl:if>
  </xsl:template>

  <!-- An image is not printed; its description (desc) is: "[image: a portrait]". -->
  <xsl:template match="tei:graphic | tei:media">
    <xsl:if test="tei:desc">
      <xsl:text>#emph[\[image: </xsl:text>
      <xsl:apply-templates select="tei:desc/node()"/>
      <xsl:text>\]]</xsl:text>
    </xsl:if>
  </xsl:template>

  <!-- Alignment, encoded data (binaryObject: base64) and feature libraries have no text for a reader. -->
  <xsl:template match="tei:link | tei:linkGrp | tei:join | tei:joinGrp | tei:alt | tei:altGrp | tei:timeline
                       | tei:binaryObject | tei:fsdDecl | tei:fvLib | tei:fLib"/>

  <!-- A figure: its image is not printed; its heading as the caption and its description (figDesc), so
       that the reader learns what the source shows there. -->
  <xsl:template match="tei:figure">
    <xsl:call-template name="ed:block">
      <xsl:with-param name="content">
        <xsl:text>#emph[\[Figure</xsl:text>
        <xsl:if test="tei:head | tei:figDesc">: </xsl:if>
        <xsl:for-each select="tei:head | tei:figDesc">
          <xsl:if test="position() gt 1"> — </xsl:if>
          <xsl:apply-templates/>
        </xsl:for-each>
        <xsl:text>\]]</xsl:text>
      </xsl:with-param>
    </xsl:call-template>
    <xsl:apply-templates select="* except (tei:head, tei:figDesc)"/>
  </xsl:template>

  <!-- Trees and formulas of other vocabularies (eTree labels, MathML): their parts spaced. -->
  <xsl:template match="tei:eTree | tei:eLeaf | tei:triangle | tei:forest | tei:listForest | tei:tree
                       | tei:node | tei:iNode | tei:root | tei:leaf | tei:eTree/tei:label | tei:eLeaf/tei:label">
    <xsl:text> </xsl:text>
    <xsl:apply-templates/>
    <xsl:text> </xsl:text>
  </xsl:template>

  <xsl:template match="tei:formula">
    <xsl:text> </xsl:text>
    <xsl:apply-templates/>
    <xsl:text> </xsl:text>
  </xsl:template>
  <xsl:template match="tei:formula//*[not(self::tei:*)]">
    <xsl:apply-templates/>
    <xsl:if test="not(*)"><xsl:text> </xsl:text></xsl:if>
  </xsl:template>
</xsl:stylesheet>
