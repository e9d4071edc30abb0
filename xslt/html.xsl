<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI P5 -> the HTML of one document page (fragments the jinja2 templates wrap into pages).

  Split by TEI chapter, as the TEI Stylesheets are (html/core.xsl, namesdates.xsl, textcrit.xsl,
  transcr.xsl, drama.xsl, header.xsl, fallback.xsl). The result is one XML tree, no namespace:

    <edition-document>
      <meta>     the metadata block (header.xsl)          </meta>
      <text>     the running text                         </text>
      <notes>    the numbered notes                       </notes>
      <editorial> the editorialDecl, for the principles page </editorial>
    </edition-document>

  Python (edition/render/fragments.py) parses it and serialises each part as HTML.

  Parameters (all strings):
    root       relative path from the document page to the site root, e.g. "../"
    entities   JSON: the registers' pointer map (declared in common/registers.xsl); names link to the
               person and place pages through it (no doc() on untrusted pointers)
    documents  JSON: absolute URI of a corpus document -> its page, e.g. "documents/x.html"

  To override templates, set [html] stylesheet = "my.xsl" in edition.toml. my.xsl may hold only the
  templates it changes (edition then imports this stylesheet first and my.xsl second, so my.xsl wins;
  reach the built-in rule with xsl:next-match):

    <xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                    xmlns:tei="http://www.tei-c.org/ns/1.0" exclude-result-prefixes="#all">
      <xsl:template match="tei:persName">
        <span class="person"><xsl:next-match/></span>
      </xsl:template>
    </xsl:stylesheet>

  or it may import this stylesheet itself by its absolute URI (<xsl:import href="file:///.../html.xsl"/>,
  printed by `python -c "from edition.resources import xslt_path; print(xslt_path('html.xsl').as_uri())"`)
  and use xsl:apply-imports.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition.example/ns"
    xmlns:h="https://edition.example/ns/html"
    exclude-result-prefixes="#all">

  <xsl:import href="common/functions.xsl"/>
  <xsl:include href="html/util.xsl"/>
  <xsl:include href="html/core.xsl"/>
  <xsl:include href="html/namesdates.xsl"/>
  <xsl:include href="html/textcrit.xsl"/>
  <xsl:include href="html/transcr.xsl"/>
  <xsl:include href="html/drama.xsl"/>
  <xsl:include href="html/header.xsl"/>
  <xsl:include href="html/fallback.xsl"/>

  <xsl:output method="xml" encoding="UTF-8" indent="no" omit-xml-declaration="yes"/>

  <xsl:param name="root" as="xs:string" select="'../'"/>
  <xsl:param name="documents" as="xs:string" select="'{}'"/>
  <!-- The document's date and authors as edition/corpus.py reads them from anywhere in the document
       (for TEI written elsewhere, where profileDesc/creation is rarely the place). -->
  <xsl:param name="doc-date" as="xs:string" select="''"/>
  <xsl:param name="doc-author" as="xs:string" select="''"/>

  <!-- The modes besides the default one: the metadata block from the header, the editorial
       declaration (for the principles page), a note at the foot of the page. -->
  <xsl:mode name="ed:header"/>
  <xsl:mode name="ed:editorial"/>
  <xsl:mode name="ed:note-body"/>
  <xsl:mode name="ed:break-links"/>

  <xsl:variable name="h:documents" as="map(*)" select="parse-json($documents)"/>

  <!-- Every note of the text, in document order: their numbers and ids are positions in this list. -->
  <xsl:variable name="h:notes" as="element()*" select="//tei:text//tei:note"/>

  <xsl:template match="/">
    <!-- The text; a root other than <TEI> (teiCorpus, a bare <text>) is rendered whole, headers excepted. -->
    <xsl:variable name="text">
      <xsl:apply-templates select="if (/tei:TEI/tei:text) then /tei:TEI/tei:text else /*/node()[not(self::tei:teiHeader)]"/>
    </xsl:variable>
    <xsl:variable name="notes">
      <xsl:if test="exists($h:notes)">
        <ol class="notes"><xsl:apply-templates select="$h:notes" mode="ed:note-body"/></ol>
      </xsl:if>
    </xsl:variable>
    <!-- One diagnostic per element name that fell back to fallback.xsl (marked with data-unknown). -->
    <xsl:for-each select="distinct-values(($text, $notes)//@data-unknown)">
      <xsl:call-template name="ed:report">
        <xsl:with-param name="code" select="'html.unknown-element'"/>
        <xsl:with-param name="name" select="string(.)"/>
      </xsl:call-template>
    </xsl:for-each>
    <edition-document>
      <meta><xsl:apply-templates select="/*/tei:teiHeader" mode="ed:header"/></meta>
      <!-- the apparatus after the text, as in the book -->
      <text><xsl:sequence select="$text"/><xsl:call-template name="h:apparatus"><xsl:with-param name="scope" select="/"/></xsl:call-template></text>
      <notes><xsl:sequence select="$notes"/></notes>
      <editorial><xsl:apply-templates select="/*/tei:teiHeader/tei:encodingDesc/tei:editorialDecl" mode="ed:editorial"/></editorial>
    </edition-document>
  </xsl:template>
</xsl:stylesheet>
