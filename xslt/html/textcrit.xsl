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
    <xsl:call-template name="h:app-ref"/>
  </xsl:template>

  <!-- The apparatus letter after an intervention (common/apparatus.xsl: the book's letters): a link
       to its entry after the text, which the script shows in a popover on hover, focus and tap. -->
  <xsl:template name="h:app-ref">
    <xsl:variable name="id" select="h:app-id(.)"/>
    <!-- the letter is drawn by CSS (data-letter), so that the words of the text stay whole when read,
         copied or searched ("Eden’s", not "Edena’s"); the link's name says the letter and the entry -->
    <a class="app-ref" href="#{$id}" id="ref-{$id}" data-app="{$id}" data-letter="{h:app-letter(.)}"
       data-pagefind-ignore="" aria-label="apparatus {h:app-letter(.)}: {ed:app-entry(.)}"/>
  </xsl:template>

  <!-- "app-a"; in a teiCorpus, whose texts each count from "a", the text's number first ("app-2-a"). -->
  <xsl:function name="h:app-id" as="xs:string">
    <xsl:param name="element" as="element()"/>
    <xsl:variable name="texts" select="key('h:outer-texts', 'all', root($element))"/>
    <xsl:variable name="text" select="$element/ancestor::tei:text[last()]"/>
    <xsl:sequence select="'app-' || (if (count($texts) gt 1)
        then (for $i in 1 to count($texts) return $i[$texts[$i] is $text]) || '-' else '') || h:app-letter($element)"/>
  </xsl:function>

  <!-- The outermost texts of a document, found once per document (not at each entry). -->
  <xsl:key name="h:outer-texts" match="tei:text[not(ancestor::tei:text)]" use="'all'"/>

  <!-- ed:app-letter's letter, from the count made in one pass (html/util.xsl: accumulator h:apparatus). -->
  <xsl:function name="h:app-letter" as="xs:string">
    <xsl:param name="element" as="element()"/>
    <xsl:number value="$element/accumulator-before('h:apparatus')" format="a"/>
  </xsl:function>

  <!-- The apparatus after the text: every entry with its letter, a link back to its place. -->
  <xsl:template name="h:apparatus">
    <xsl:param name="scope" as="node()?"/>
    <xsl:variable name="items" select="ed:apparatus-items($scope)"/>
    <xsl:if test="$items">
      <section class="doc-apparatus" aria-labelledby="ed-apparatus-heading" data-pagefind-ignore="">
        <h2 id="ed-apparatus-heading">Apparatus</h2>
        <ol class="apparatus">
          <xsl:for-each select="$items">
            <xsl:variable name="id" select="h:app-id(.)"/>
            <li id="{$id}">
              <a class="app-back" href="#ref-{$id}" aria-label="back to the text ({h:app-letter(.)})"><xsl:value-of select="h:app-letter(.)"/></a>
              <xsl:text> </xsl:text>
              <span class="app-entry"><xsl:value-of select="ed:app-entry(.)"/></span>
            </li>
          </xsl:for-each>
        </ol>
      </section>
    </xsl:if>
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
    <xsl:call-template name="h:app-ref"/>
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
    <xsl:call-template name="h:app-ref"/>
  </xsl:template>
</xsl:stylesheet>
