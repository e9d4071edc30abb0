<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI P5 -> Typst markup for the print edition: one document's body, which the book (edition/typst/book.typ
  and the main file written by edition/render/pdf.py) includes.

  Split by TEI chapter, as the TEI Stylesheets are (print/core.xsl, namesdates.xsl, textcrit.xsl,
  transcr.xsl, drama.xsl, linking.xsl (links, figures), header.xsl, fallback.xsl); print/typst.xsl is the one place where text
  becomes Typst (see ed:typst-escape there).

  Parameters (all strings):
    part       "document" (the heading, text, apparatus and source note) or "principles" (the editorialDecl)
    number     the document's number in the edition (date order)
    entities   JSON: the registers' pointer map (declared in common/registers.xsl), looked up, never
               fetched: a document's pointers must not make the transformation read other files.

  Messages: an element without a print rule is reported by xslt/common/messages.xsl's protocol
  (<ed:diagnostic code="pdf.fallback" .../>), as a warning with the element's line.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition.example/ns"
    exclude-result-prefixes="#all">

  <xsl:import href="common/functions.xsl"/>
  <xsl:include href="print/typst.xsl"/>
  <xsl:include href="print/core.xsl"/>
  <xsl:include href="print/namesdates.xsl"/>
  <xsl:include href="print/textcrit.xsl"/>
  <xsl:include href="print/transcr.xsl"/>
  <xsl:include href="print/drama.xsl"/>
  <xsl:include href="print/linking.xsl"/>
  <xsl:include href="print/header.xsl"/>
  <xsl:include href="print/fallback.xsl"/>

  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:param name="part" as="xs:string" select="'document'"/>
  <xsl:param name="number" as="xs:string" select="'1'"/>
  <!-- the document's id, date and authors as edition/corpus.py reads them (from anywhere in the document) -->
  <xsl:param name="doc-id" as="xs:string" select="''"/>
  <xsl:param name="doc-date" as="xs:string" select="''"/>
  <xsl:param name="doc-author" as="xs:string" select="''"/>
  <!-- [pdf] reading: "edited" (the editors' readings in the text) or "source" (the source's) -->
  <xsl:param name="reading" as="xs:string" select="'edited'"/>

  <!-- The modes besides the default one: the document's heading and source note from the header, the
       editorial principles, the apparatus, a reading as plain text (apparatus lemmata), the speaker's
       label before a turn, list-item labels and numbered verse lines. -->
  <xsl:mode name="ed:heading"/>
  <xsl:mode name="ed:source-note"/>
  <xsl:mode name="ed:principles"/>
  <xsl:mode name="ed:apparatus"/>
  <xsl:mode name="ed:plain"/>
  <xsl:mode name="ed:speaker-label"/>
  <xsl:mode name="ed:item-label"/>
  <xsl:mode name="ed:verse-line"/>

  <xsl:template match="/">
    <xsl:text>#import "/book.typ": *&#10;</xsl:text>
    <xsl:choose>
      <xsl:when test="$part = 'principles'">
        <xsl:apply-templates select="/tei:TEI/tei:teiHeader/tei:encodingDesc/tei:editorialDecl" mode="ed:principles"/>
      </xsl:when>
      <xsl:otherwise>
        <!-- the source note first, under the heading, as FRUS prints it -->
        <xsl:apply-templates select="/tei:TEI/tei:teiHeader" mode="ed:heading"/>
        <xsl:apply-templates select="/tei:TEI/tei:teiHeader" mode="ed:source-note"/>
        <xsl:apply-templates select="/tei:TEI/tei:text"/>
        <xsl:call-template name="ed:apparatus"/>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:text>&#10;</xsl:text>
  </xsl:template>

  <!-- The header is read by header.xsl in its own modes, never printed as running text. -->
  <xsl:template match="tei:teiHeader"/>
</xsl:stylesheet>
