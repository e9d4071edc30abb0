<?xml version="1.0" encoding="UTF-8"?>
<!--
  The one place where document content becomes Typst.

  Why backslash escapes in markup rather than string literals (#"..."): the text stays in Typst's
  markup mode, so it flows into paragraphs, footnotes and headings like any other text and can be
  wrapped by our functions ([...] content arguments) without caring what follows a literal (after
  #"x" a "(", "[" or "." would continue the expression). In markup, a backslash before any character
  prints that character literally, and every construct of Typst markup starts with ASCII punctuation
  (# $ * _ ` < > @ [ ] \ / ~ = ' " - + . : and the shorthands -, ~, ..., '-' before a digit, smart
  quotes, //, /*, http:// links, "1." lists). So ed:typst-escape escapes ALL ASCII punctuation: no
  list of special characters to keep up to date, and nothing in a text node can start code, math,
  a comment, a label or a list. Letters, digits and non-ASCII characters are printed as they are.

  Whitespace: XML whitespace runs (and the Unicode line/paragraph separators, which Typst treats as
  newlines) become one space, as TEI text is whitespace-normalised on output; a blank line would
  otherwise start a new paragraph.

  ed:typst-string is for the few values passed as Typst strings (register ids, markers); it escapes
  exactly what a Typst string literal interprets: backslash and double quote.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition.example/ns"
    exclude-result-prefixes="#all">

  <xsl:function name="ed:typst-space" as="xs:string">
    <xsl:param name="text" as="xs:string?"/>
    <xsl:sequence select="replace(string($text), '[\s&#x85;&#x2028;&#x2029;]+', ' ')"/>
  </xsl:function>

  <xsl:function name="ed:typst-escape" as="xs:string">
    <xsl:param name="text" as="xs:string?"/>
    <xsl:sequence select="replace(ed:typst-space($text), '([!-/:-@\[-`{-~])', '\\$1')"/>
  </xsl:function>

  <xsl:function name="ed:typst-string" as="xs:string">
    <xsl:param name="text" as="xs:string?"/>
    <xsl:sequence select="concat('&quot;', replace(replace(ed:typst-space($text), '\\', '\\\\'), '&quot;', '\\&quot;'), '&quot;')"/>
  </xsl:function>

  <!-- Every text node of the running text goes through ed:typst-escape. At the edges of a block,
       the indentation of the XML is dropped. -->
  <xsl:template match="text()" mode="#all">
    <xsl:variable name="text" select="
        if ((not(preceding-sibling::node()) and ed:is-block(..)) or ed:joins(preceding-sibling::node()[1]))
        then replace(., '^\s+', '') else string(.)"/>
    <xsl:value-of select="ed:typst-escape(
        if ((not(following-sibling::node()) and ed:is-block(..)) or ed:joins(following-sibling::node()[1]))
        then replace($text, '\s+$', '') else $text)"/>
  </xsl:template>

  <!-- Parts written next to each other with no space between them (<forename>Nancy</forename><surname>Ide</surname>,
       the parts of a bibl) are words of their own: a space before the second. -->
  <xsl:function name="ed:space-between" as="xs:string">
    <xsl:param name="element" as="element()"/>
    <xsl:sequence select="if ($element/preceding-sibling::node()[1][self::*]) then ' ' else ''"/>
  </xsl:function>

  <!-- A word divided by a line or page break of the source (<lb break="no"/>, <lb type="hyphenInWord"/>):
       the indentation of the XML around the break is not a space. -->
  <xsl:function name="ed:joins" as="xs:boolean">
    <xsl:param name="node" as="node()?"/>
    <xsl:sequence select="exists($node[self::tei:lb or self::tei:pb or self::tei:cb]
                                      [@break = 'no' or @type = 'hyphenInWord'])"/>
  </xsl:function>

  <!-- A block of running text: separated from its neighbours by blank lines (Typst's paragraph break). -->
  <xsl:template name="ed:block">
    <xsl:param name="function" as="xs:string?" select="()"/>
    <xsl:param name="content" as="item()*"/>
    <!-- The text's last block before a closer keeps with it (book.typ: keep-with-next). -->
    <xsl:variable name="before-closer" select="self::element() and (following-sibling::*[1][self::tei:closer]
        or (not(following-sibling::*) and parent::tei:sp/following-sibling::*[1][self::tei:closer]))"/>
    <xsl:variable name="function" select="if (empty($function) and $before-closer) then 'keep-with-next' else $function"/>
    <xsl:text>&#10;&#10;</xsl:text>
    <xsl:if test="$function">
      <xsl:value-of select="'#' || $function || '['"/>
    </xsl:if>
    <xsl:sequence select="$content"/>
    <xsl:if test="$function">]</xsl:if>
    <xsl:text>&#10;&#10;</xsl:text>
  </xsl:template>

  <!-- Index anchors for every token of a pointer attribute (@ref, @who). -->
  <xsl:function name="ed:mentions" as="xs:string*">
    <xsl:param name="pointer" as="attribute()?"/>
    <xsl:param name="default-kind" as="xs:string"/>
    <xsl:param name="speaker" as="xs:boolean"/>
    <xsl:for-each select="tokenize(normalize-space($pointer), ' ')[. ne '']">
      <xsl:variable name="entity" select="ed:entity(., $pointer)"/>
      <xsl:sequence select="'#mention(' || ed:typst-string(($entity?kind, $default-kind)[1]) || ', '
          || ed:typst-string(($entity?id, ed:id(.))[1]) || (if ($speaker) then ', speaker: true' else '') || ')'"/>
    </xsl:for-each>
  </xsl:function>
</xsl:stylesheet>
