<?xml version="1.0" encoding="UTF-8"?>
<!-- The header, printed in three places: the document's heading (number, title, date, place, type and
     classification), its source note after the text (archive, publication, translation, who recorded
     it), and the editorial principles of the book (editorialDecl). -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition.example/ns"
    exclude-result-prefixes="#all">

  <!-- Header text as one line of escaped markup. -->
  <xsl:function name="ed:line" as="xs:string">
    <xsl:param name="nodes" as="item()*"/>
    <xsl:sequence select="ed:typst-escape(normalize-space(string-join($nodes ! string(.), ' ')))"/>
  </xsl:function>

  <!-- A sentence ends with a full stop, unless it already ends with punctuation. -->
  <xsl:function name="ed:sentence" as="xs:string">
    <xsl:param name="text" as="xs:string"/>
    <xsl:sequence select="if (matches($text, '[.!?…]$')) then $text else $text || '.'"/>
  </xsl:function>

  <xsl:template match="tei:teiHeader" mode="ed:heading">
    <xsl:variable name="titles" select="tei:fileDesc/tei:titleStmt/tei:title"/>
    <xsl:variable name="main" select="($titles[@type = 'main'], $titles)[1]"/>
    <xsl:variable name="short" select="($titles[@type = 'short'], $main)[1]"/>
    <xsl:variable name="creation" select="tei:profileDesc/tei:creation"/>
    <!-- the date as Python formats it for every output; a date in words only, as written -->
    <xsl:variable name="date-text" select="if (normalize-space($doc-date)) then $doc-date
        else string(($creation/tei:date, /tei:TEI/tei:text//tei:dateline//tei:date)[1])"/>
    <xsl:text>#document-heading(&#10;  number: </xsl:text>
    <xsl:value-of select="ed:typst-string($number)"/>
    <xsl:text>,&#10;  id: </xsl:text>
    <xsl:value-of select="ed:typst-string((/tei:TEI/@xml:id[normalize-space()], $doc-id)[1])"/>
    <xsl:text>,&#10;  title: [</xsl:text>
    <xsl:value-of select="ed:line($main)"/>
    <xsl:text>],&#10;  author: [</xsl:text>
    <xsl:value-of select="ed:line($doc-author)"/>
    <xsl:text>],&#10;  short: [</xsl:text>
    <xsl:value-of select="ed:line($short)"/>
    <xsl:text>],&#10;  date: [</xsl:text>
    <xsl:value-of select="ed:line($date-text)"/>
    <xsl:text>],&#10;  place: [</xsl:text>
    <xsl:value-of select="ed:line($creation/tei:placeName[1])"/>
    <xsl:text>],&#10;  doctype: [</xsl:text>
    <xsl:value-of select="ed:line(tei:profileDesc/tei:textClass//tei:term[@type = 'document-type'][1])"/>
    <xsl:text>],&#10;  classes: (</xsl:text>
    <xsl:for-each select="tei:profileDesc/tei:textClass//tei:term[@type = 'classification']">
      <xsl:value-of select="'[' || ed:line(.) || '], '"/>
    </xsl:for-each>
    <xsl:text>),&#10;)&#10;</xsl:text>
  </xsl:template>

  <!-- The source note: "Archive of the President of the Russian Federation (AP RF), Moscow. F. 45.
       Op. 1. D. 279. L. 115–122." and the publication, translation and recorder. -->
  <xsl:template match="tei:teiHeader" mode="ed:source-note">
    <xsl:variable name="ms" select="tei:fileDesc/tei:sourceDesc/tei:msDesc[1]"/>
    <xsl:variable name="part" select="if ($ms) then ed:ms-parts($ms) else map {}"/>
    <xsl:variable name="archive" select="string-join((
        string-join(($part?repository, $part?settlement)[. ne ''], ', '), $part?collection,
        $part?fond[.] ! ('F. ' || .), $part?opis[.] ! ('Op. ' || .), $part?papka[.] ! ('P. ' || .),
        $part?delo[.] ! ('D. ' || .), $part?others, $part?folios[.] ! ('L. ' || .))[. ne ''], '. ')"/>
    <xsl:variable name="recorder" select="tei:fileDesc/tei:titleStmt/tei:respStmt[@xml:id = 'recorder']"/>
    <xsl:text>&#10;#source-note(&#10;</xsl:text>
    <xsl:if test="$archive">
      <xsl:value-of select="'  [#emph[Source:] ' || ed:line(ed:sentence($archive)) || '],&#10;'"/>
    </xsl:if>
    <xsl:for-each select="ed:source-bibls(.)">
      <xsl:value-of select="'  [#emph[' || ed:typst-escape(ed:bibl-label(.) || ':') || '] '
                            || ed:line(ed:sentence(ed:bibl-citation(.))) || '],&#10;'"/>
    </xsl:for-each>
    <xsl:for-each select="$recorder">
      <xsl:variable name="resp" select="normalize-space(tei:resp)"/>
      <xsl:value-of select="'  [' || ed:line(ed:capitalise($resp) || ' '
          || ed:sentence(normalize-space(string-join(* except tei:resp, ' ')))) || '],&#10;'"/>
    </xsl:for-each>
    <xsl:text>)&#10;</xsl:text>
  </xsl:template>

  <!-- Editorial principles: one paragraph group per part of the editorialDecl, with its name as a
       run-in heading ("Correction", "Normalization" ...). -->
  <xsl:template match="tei:editorialDecl" mode="ed:principles">
    <xsl:for-each select="*">
      <xsl:variable name="name" select="if (self::tei:p) then '' else local-name()"/>
      <xsl:text>&#10;&#10;</xsl:text>
      <xsl:if test="$name">
        <xsl:value-of select="'#principle-head[' || ed:typst-escape(upper-case(substring($name, 1, 1)) || substring($name, 2)) || ']'"/>
      </xsl:if>
      <xsl:choose>
        <xsl:when test="self::tei:p"><xsl:apply-templates/></xsl:when>
        <xsl:otherwise>
          <xsl:for-each select="tei:p">
            <xsl:if test="position() gt 1">&#10;&#10;</xsl:if>
            <xsl:apply-templates/>
          </xsl:for-each>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:text>&#10;&#10;</xsl:text>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="tei:gi">
    <xsl:value-of select="'\&lt;' || ed:typst-escape(.) || '\&gt;'"/>
  </xsl:template>
  <xsl:template match="tei:att">
    <xsl:value-of select="'\@' || ed:typst-escape(.)"/>
  </xsl:template>
</xsl:stylesheet>
