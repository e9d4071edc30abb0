<?xml version="1.0" encoding="UTF-8"?>
<!-- Core elements and the text structure: paragraphs, divisions, heads, lists, quotations, notes,
     highlighting, openers and closers. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition.example/ns"
    exclude-result-prefixes="#all">

  <xsl:template match="tei:text | tei:front | tei:body | tei:back | tei:group | tei:div | tei:div1 | tei:div2
                       | tei:div3 | tei:div4 | tei:div5 | tei:div6 | tei:div7 | tei:floatingText | tei:titlePage
                       | tei:docTitle | tei:argument | tei:epigraph | tei:cit">
    <xsl:apply-templates/>
  </xsl:template>

  <!-- The title page of a book or play, in its own lines. -->
  <xsl:template match="tei:titlePart | tei:docAuthor | tei:docImprint | tei:docDate | tei:docEdition
                       | tei:imprimatur | tei:trailer | tei:byline[not(ancestor::tei:closer)]">
    <xsl:call-template name="ed:block">
      <xsl:with-param name="content"><xsl:apply-templates/></xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- A bibliography: one entry a line. -->
  <xsl:template match="tei:listBibl">
    <xsl:apply-templates/>
  </xsl:template>
  <xsl:template match="tei:listBibl/tei:bibl | tei:listBibl/tei:biblStruct | tei:listBibl/tei:msDesc">
    <xsl:call-template name="ed:block">
      <xsl:with-param name="content"><xsl:apply-templates/></xsl:with-param>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:bibl | tei:biblStruct | tei:analytic | tei:monogr | tei:imprint | tei:author
                       | tei:editor | tei:publisher | tei:pubPlace | tei:biblScope | tei:citedRange | tei:series
                       | tei:edition | tei:idno | tei:respStmt | tei:resp">
    <xsl:value-of select="ed:space-between(.)"/>
    <xsl:apply-templates/>
  </xsl:template>

  <!-- The source's note in back, as documents encoded before the header held those lines (edition.sch
       warns, [sch.source-note-in-back]): still document text, printed in small type at the end. The
       edition's source note (header.xsl) is built from the header. -->
  <xsl:template match="tei:back/tei:div[@type = 'source-note']">
    <xsl:call-template name="ed:block">
      <xsl:with-param name="function" select="'source-text'"/>
      <xsl:with-param name="content"><xsl:apply-templates/></xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:p | tei:ab">
    <xsl:call-template name="ed:block">
      <xsl:with-param name="content">
        <xsl:apply-templates select="." mode="ed:speaker-label"/>
        <xsl:apply-templates/>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- A paragraph is a block of its own, except in notes and items, where blank lines would end the
       footnote's or item's first paragraph early; there, paragraphs after the first are separated
       by a paragraph break within the content argument. -->
  <xsl:template match="tei:note//tei:p | tei:item//tei:p | tei:cell//tei:p">
    <xsl:if test="preceding-sibling::tei:p">#parbreak()</xsl:if>
    <xsl:apply-templates select="." mode="ed:speaker-label"/>
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template match="*" mode="ed:speaker-label"/>

  <xsl:template match="tei:head">
    <xsl:call-template name="ed:block">
      <xsl:with-param name="function" select="'source-head'"/>
      <xsl:with-param name="content"><xsl:apply-templates/></xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:opener | tei:closer">
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template match="tei:opener/text()[normalize-space()] | tei:closer/text()[normalize-space()]">
    <xsl:call-template name="ed:block">
      <xsl:with-param name="content" select="ed:typst-escape(normalize-space(.))"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:dateline">
    <xsl:call-template name="ed:block">
      <xsl:with-param name="function" select="'dateline'"/>
      <xsl:with-param name="content"><xsl:apply-templates/></xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:seg[@type = 'classification']">
    <xsl:call-template name="ed:block">
      <xsl:with-param name="function" select="'classification'"/>
      <xsl:with-param name="content"><xsl:apply-templates/></xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:signed | tei:salute | tei:closer/tei:dateline | tei:byline | tei:postscript">
    <xsl:call-template name="ed:block">
      <xsl:with-param name="function" select="'closer'"/>
      <xsl:with-param name="content"><xsl:apply-templates/></xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:seg">
    <xsl:apply-templates/>
  </xsl:template>

  <!-- Lists: Typst's list/enum functions with one content argument per item. -->
  <xsl:template match="tei:list">
    <xsl:apply-templates select="tei:head"/>
    <xsl:text>&#10;&#10;#</xsl:text>
    <xsl:value-of select="if (@type = ('ordered', 'numbered') or @rend = 'numbered') then 'enum' else 'list'"/>
    <xsl:text>(</xsl:text>
    <xsl:for-each select="tei:item">
      <xsl:text>[</xsl:text>
      <xsl:apply-templates select="preceding-sibling::*[1][self::tei:label]" mode="ed:item-label"/>
      <xsl:apply-templates/>
      <xsl:text>], </xsl:text>
    </xsl:for-each>
    <xsl:text>)&#10;&#10;</xsl:text>
    <xsl:apply-templates select="* except (tei:head, tei:item, tei:label)"/>
  </xsl:template>
  <xsl:template match="tei:list/tei:label"/>
  <xsl:template match="tei:label" mode="ed:item-label">
    <xsl:apply-templates/>
    <xsl:text> </xsl:text>
  </xsl:template>

  <!-- Quotations: the marks are supplied here (the source's marks are not in the text); nested
       quotations alternate double and single marks. said[@direct='false'] is reported speech: no marks. -->
  <xsl:template match="tei:q | tei:quote | tei:said[not(@direct = 'false')] | tei:soCalled">
    <xsl:variable name="level" select="count(ancestor::*[self::tei:q or self::tei:quote or self::tei:soCalled
        or self::tei:said[not(@direct = 'false')]]) + 1"/>
    <xsl:value-of select="if ($level mod 2 = 1) then '“' else '‘'"/>
    <xsl:apply-templates/>
    <xsl:value-of select="if ($level mod 2 = 1) then '”' else '’'"/>
  </xsl:template>

  <xsl:template match="tei:said">
    <xsl:apply-templates/>
  </xsl:template>

  <!-- Highlighting by @rend; emphasised words, foreign words and titles in italics. -->
  <xsl:template match="tei:hi">
    <xsl:variable name="rend" select="tokenize(normalize-space(@rend), ' ')"/>
    <xsl:variable name="function" select="
        if ($rend = ('bold', 'b', 'strong')) then 'strong'
        else if ($rend = ('sup', 'superscript')) then 'super'
        else if ($rend = ('sub', 'subscript')) then 'sub'
        else if ($rend = ('underline', 'u')) then 'underline'
        else if ($rend = ('smallcaps', 'sc', 'small-caps')) then 'smallcaps'
        else if ($rend = ('strikethrough', 'strike')) then 'strike'
        else 'emph'"/>
    <xsl:value-of select="'#' || $function || '['"/>
    <xsl:apply-templates/>
    <xsl:text>]</xsl:text>
  </xsl:template>

  <xsl:template match="tei:emph | tei:foreign | tei:term | tei:mentioned | tei:text//tei:title">
    <xsl:text>#emph[</xsl:text>
    <xsl:apply-templates/>
    <xsl:text>]</xsl:text>
  </xsl:template>

  <!-- Notes: footnotes at the foot of the page. The source's own marker (@n, e.g. "*") is kept and
       does not take a number; notes of the source say so after their text. -->
  <xsl:template match="tei:note">
    <xsl:value-of select="if (normalize-space(@n)) then '#marked-note(' || ed:typst-string(normalize-space(@n)) || ')['
                          else '#footnote['"/>
    <xsl:apply-templates/>
    <xsl:if test="@type = 'source'"> #note-origin[Note in the source.]</xsl:if>
    <xsl:text>]</xsl:text>
  </xsl:template>

  <!-- Line breaks of the source are not reproduced in the running text; a word divided by one
       (@break='no') stays joined. -->
  <xsl:template match="tei:lb">
    <xsl:if test="not(ed:joins(.))"><xsl:text> </xsl:text></xsl:if>
  </xsl:template>

  <!-- Verse: the lines of a stanza in one block, each line ended by a line break, in document order
       with whatever comes between them (a stage direction, a nested stanza). -->
  <xsl:template match="tei:lg">
    <xsl:for-each-group select="node()" group-adjacent="boolean(self::tei:l)">
      <xsl:choose>
        <xsl:when test="current-grouping-key()">
          <xsl:call-template name="ed:block">
            <xsl:with-param name="content">
              <xsl:for-each select="current-group()">
                <xsl:apply-templates select="." mode="ed:verse-line"/>
                <xsl:if test="position() ne last()"> #linebreak() </xsl:if>
              </xsl:for-each>
            </xsl:with-param>
          </xsl:call-template>
        </xsl:when>
        <xsl:otherwise>
          <xsl:apply-templates select="current-group()"/>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:for-each-group>
  </xsl:template>

  <!-- A line of verse outside a stanza (in a turn, a paragraph or a cell): a line of its own. -->
  <xsl:template match="tei:l">
    <xsl:choose>
      <xsl:when test="parent::tei:p or parent::tei:ab or parent::tei:cell or parent::tei:item or parent::tei:note
                      or parent::tei:quote or parent::tei:q">
        <xsl:apply-templates select="." mode="ed:verse-line"/>
        <xsl:if test="following-sibling::tei:l"> #linebreak() </xsl:if>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="ed:block">
          <xsl:with-param name="content"><xsl:apply-templates select="." mode="ed:verse-line"/></xsl:with-param>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The line's number (@n) in the margin, every fifth line or where the numbering is irregular. -->
  <xsl:template match="tei:l" mode="ed:verse-line">
    <xsl:if test="@n castable as xs:integer and xs:integer(@n) mod 5 = 0">
      <xsl:value-of select="'#line-number[' || ed:typst-escape(@n) || ']'"/>
    </xsl:if>
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template match="tei:table">
    <xsl:apply-templates select="* except tei:row"/>
    <xsl:text>&#10;&#10;#table(columns: </xsl:text>
    <xsl:value-of select="max((for $r in tei:row return sum(for $c in $r/tei:cell return ed:span($c)), 1))"/>
    <xsl:text>, </xsl:text>
    <xsl:for-each select="tei:row/tei:cell">
      <xsl:value-of select="if (ed:span(.) gt 1) then 'table.cell(colspan: ' || ed:span(.) || ')[' else '['"/>
      <xsl:apply-templates/>
      <xsl:text>], </xsl:text>
    </xsl:for-each>
    <xsl:text>)&#10;&#10;</xsl:text>
  </xsl:template>

  <xsl:function name="ed:span" as="xs:integer">
    <xsl:param name="cell" as="element()"/>
    <xsl:sequence select="if ($cell/@cols castable as xs:positiveInteger) then xs:integer($cell/@cols) else 1"/>
  </xsl:function>
</xsl:stylesheet>
