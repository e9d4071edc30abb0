<?xml version="1.0" encoding="UTF-8"?>
<!--
  The apparatus, decided once for the web and the book: which elements have an entry (choice, app,
  supplied), the letter of each ("a", "b" ... counted through the text, so that the mark in the text
  and its entry agree), and the entry in a reader's words:

      Eden] Ideia in the source                     a correction (sic/corr)
      Gov.] Government abbreviated in the source    an expansion
      He would … is planned.] I wanted … in the source; conjecture   (cert="medium"; "doubtful
                                                                     conjecture" below that)
      lemma reading] variant reading copy2          an app, its witnesses and notes
      [inexpedient] supplied by the editors (omitted in translation)

  As plain strings: print/textcrit.xsl escapes them for Typst, html/textcrit.xsl writes them as text.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition.example/ns"
    exclude-result-prefixes="#all">

  <!-- The elements of the texts in $scope (a text, a document) that have an apparatus entry, in
       document order. -->
  <xsl:function name="ed:apparatus-items" as="element()*">
    <xsl:param name="scope" as="node()?"/>
    <xsl:sequence select="$scope/descendant-or-self::tei:text//(tei:choice | tei:app | tei:supplied)"/>
  </xsl:function>

  <xsl:function name="ed:app-letter" as="xs:string">
    <xsl:param name="element" as="element()"/>
    <xsl:number select="$element" level="any" from="tei:text" format="a"
                count="tei:choice | tei:app | tei:supplied"/>
  </xsl:function>

  <!-- The reading of a choice a text shows: the edited one, or with $reading "source" the source's
       (the print edition's diplomatic transcription, [pdf] reading = "source"). -->
  <xsl:function name="ed:printed-reading" as="element()?">
    <xsl:param name="choice" as="element()"/>
    <xsl:param name="reading" as="xs:string"/>
    <xsl:sequence select="if ($reading = 'source' and ed:source-reading($choice)) then ed:source-reading($choice)
                          else ed:shown-reading($choice)"/>
  </xsl:function>

  <!-- The lemma: the reading in the text, a long one shortened to its first and last words
       ("He would … is planned."); supplied words in brackets. -->
  <xsl:function name="ed:app-lemma" as="xs:string">
    <xsl:param name="element" as="element()"/>
    <xsl:sequence select="ed:app-lemma($element, 'edited')"/>
  </xsl:function>
  <xsl:function name="ed:app-lemma" as="xs:string">
    <xsl:param name="element" as="element()"/>
    <xsl:param name="text-reading" as="xs:string"/>
    <xsl:variable name="reading" select="if ($element/self::tei:choice) then ed:printed-reading($element, $text-reading)
        else if ($element/self::tei:app) then ed:app-reading($element) else $element"/>
    <xsl:variable name="words" select="tokenize(ed:plain-text($reading/node()), ' ')"/>
    <xsl:variable name="short" select="if (count($words) le 6) then string-join($words, ' ')
        else string-join(($words[position() le 2], '…', $words[position() gt last() - 2]), ' ')"/>
    <xsl:sequence select="if ($element/self::tei:supplied) then '[' || $short || ']' else $short"/>
  </xsl:function>

  <!-- What the entry says after its lemma; with the source's reading in the text, the editors' one:
       "Ideia] corrected to Eden". -->
  <xsl:function name="ed:app-gloss" as="xs:string">
    <xsl:param name="element" as="element()"/>
    <xsl:param name="text-reading" as="xs:string"/>
    <xsl:variable name="shown" select="if ($element/self::tei:choice) then ed:shown-reading($element) else ()"/>
    <xsl:choose>
      <xsl:when test="$text-reading = 'source' and $element/self::tei:choice and ed:source-reading($element)">
        <xsl:sequence select="string-join((
            map {'correction': 'corrected to ', 'regularisation': 'regularised as ',
                 'expansion': 'expanded as '}(ed:choice-kind($element)) || ed:plain-text($shown/node()),
            if ($shown/@cert and not($shown/@cert = 'high'))
              then (if ($shown/@cert = 'medium') then 'conjecture' else 'doubtful conjecture') else ()), '; ')"/>
      </xsl:when>
      <xsl:when test="$element/self::tei:choice">
        <xsl:sequence select="string-join((
            string-join(($element/* except $shown) ! (ed:plain-text(node())
                || (if (self::tei:abbr) then ' abbreviated in the source' else ' in the source')), '; '),
            (: the editors' certainty in a reader's words :)
            if ($shown/@cert and not($shown/@cert = 'high'))
              then (if ($shown/@cert = 'medium') then 'conjecture' else 'doubtful conjecture') else ()), '; ')"/>
      </xsl:when>
      <xsl:when test="$element/self::tei:app">
        <xsl:sequence select="string-join((
            string-join(ed:app-variants($element) ! string-join((ed:plain-text(node()),
                @wit ! string-join(tokenize(normalize-space(.), ' ') ! ed:id(.), ', ')), ' '), '; '),
            ed:app-notes($element) ! ed:plain-text(node())), '. ')"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="'supplied by the editors' || (if (normalize-space($element/@reason))
            then ' (' || translate(normalize-space($element/@reason), '-_', '  ') || ')' else '')"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- The whole entry after its letter: "Eden] Ideia in the source", "[inexpedient] supplied ...". -->
  <xsl:function name="ed:app-entry" as="xs:string">
    <xsl:param name="element" as="element()"/>
    <xsl:sequence select="ed:app-entry($element, 'edited')"/>
  </xsl:function>
  <xsl:function name="ed:app-entry" as="xs:string">
    <xsl:param name="element" as="element()"/>
    <xsl:param name="text-reading" as="xs:string"/>
    <xsl:sequence select="ed:app-lemma($element, $text-reading) || (if ($element/self::tei:supplied) then ' ' else '] ')
                          || ed:app-gloss($element, $text-reading)"/>
  </xsl:function>

  <!-- The text of a reading as the edited text has it, without notes and marks. -->
  <xsl:function name="ed:plain-text" as="xs:string">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:sequence select="normalize-space(string-join($nodes ! ed:plain-part(.), ''))"/>
  </xsl:function>

  <xsl:function name="ed:plain-part" as="xs:string">
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="
        if ($node instance of text()) then string($node)
        else if ($node/(self::tei:note | self::tei:pb | self::tei:lb[@break = 'no'])) then ''
        else if ($node/self::tei:lb) then ' '
        else if ($node/self::tei:choice) then string-join(ed:shown-reading($node)/node() ! ed:plain-part(.), '')
        else if ($node/self::tei:app) then string-join(ed:app-reading($node)/node() ! ed:plain-part(.), '')
        else if ($node/self::tei:supplied) then '[' || string-join($node/node() ! ed:plain-part(.), '') || ']'
        else if ($node/self::tei:gap) then '[…]'
        else string-join($node/node() ! ed:plain-part(.), '')"/>
  </xsl:function>
</xsl:stylesheet>
