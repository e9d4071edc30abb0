<?xml version="1.0" encoding="UTF-8"?>
<!-- TEI chapters "Critical Apparatus" and the choice part of "Representation of Primary Sources":
     the edited reading is shown, the source's reading is one click (the reading switch) away. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition.example/ns"
    xmlns:h="https://edition.example/ns/html"
    exclude-result-prefixes="#all">

  <!-- choice: sic/corr, orig/reg, abbr/expan. Both readings are in the page; CSS shows the edited one
       (class "edited") unless the reader switched to the source (html.show-source). The edited reading
       carries a dotted underline and a title with the source's reading. -->
  <xsl:template match="tei:choice[ed:choice-kind(.) ne 'alternatives']">
    <xsl:variable name="source" select="ed:source-reading(.)"/>
    <xsl:variable name="edited" select="ed:shown-reading(.)"/>
    <xsl:variable name="kind" select="ed:choice-kind(.)"/>
    <xsl:variable name="detail" select="string-join((
        if ($edited/@resp) then 'by ' || h:resp-name($edited/@resp, .) else (),
        $edited/@cert ! ('certainty: ' || .)), ', ')"/>
    <span class="choice {$kind}">
      <xsl:call-template name="h:attrs"/>
      <span class="edited" title="in the source: {normalize-space($source)}{if ($detail) then ' (' || $kind || ' ' || $detail || ')' else ''}">
        <xsl:apply-templates select="$edited/node()"/>
      </span>
      <span class="source" data-pagefind-ignore="">
        <xsl:attribute name="title" select="'edited: ' || normalize-space($edited)"/>
        <xsl:apply-templates select="$source/node()"/>
      </span>
      <!-- further alternatives (a second corr): kept, shown with the edited reading -->
      <xsl:for-each select="* except ($source, $edited)">
        <span class="edited alternative"> / <xsl:apply-templates/></span>
      </xsl:for-each>
    </span>
  </xsl:template>

  <!-- Alternatives the source leaves open (seg/seg, unclear/unclear): every one, separated by a slash. -->
  <xsl:template match="tei:choice">
    <span class="choice other">
      <xsl:call-template name="h:attrs"/>
      <xsl:for-each select="*">
        <xsl:if test="position() gt 1"><span class="choice-sep"> / </span></xsl:if>
        <span class="alternative"><xsl:apply-templates select="."/></span>
      </xsl:for-each>
    </span>
  </xsl:template>

  <!-- A sic without a correction: the text as it stands, with the editors' "[sic]". -->
  <xsl:template match="tei:sic[not(parent::tei:choice)]">
    <span class="tei-sic"><xsl:call-template name="h:attrs"/><xsl:apply-templates/></span>
    <span class="sic-mark" data-pagefind-ignore=""> [sic]</span>
  </xsl:template>

  <xsl:template match="tei:corr[not(parent::tei:choice)]">
    <span class="tei-corr" title="corrected by the editors"><xsl:call-template name="h:attrs"/><xsl:apply-templates/></span>
  </xsl:template>

  <!-- app: the lemma in the text, the readings after it in brackets (never dropped). -->
  <xsl:template match="tei:app">
    <span class="tei-app">
      <xsl:call-template name="h:attrs"/>
      <span class="tei-lem"><xsl:apply-templates select="ed:app-reading(.)/node()"/></span>
      <xsl:variable name="others" select="ed:app-variants(.) | ed:app-notes(.)"/>
      <xsl:if test="$others">
        <span class="tei-rdgs">
          <xsl:text> [</xsl:text>
          <xsl:for-each select="$others">
            <xsl:if test="position() gt 1">; </xsl:if>
            <xsl:if test="@wit"><span class="wit"><xsl:value-of select="normalize-space(@wit)"/></span>: </xsl:if>
            <xsl:apply-templates select="if (self::tei:note) then . else node()"/>
          </xsl:for-each>
          <xsl:text>]</xsl:text>
        </span>
      </xsl:if>
    </span>
  </xsl:template>
</xsl:stylesheet>
