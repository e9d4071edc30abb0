<?xml version="1.0" encoding="UTF-8"?>
<!--
  The document's sources, decided once for both outputs: the parts of the archival citation (the web
  writes "AP RF, f. 45, op. 1, d. 279, l. 115–122", print "F. 45. Op. 1. D. 279. L. 115–122.", from
  the same parts), and the prior publications with their labels.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition.example/ns"
    exclude-result-prefixes="#all">

  <!-- Archive-level idno types with a part of their own; any other idno is cited as written. -->
  <xsl:variable name="ed:archive-levels" as="xs:string*" select="('archive', 'fond', 'opis', 'papka', 'delo')"/>

  <!-- The parts of an msDesc's citation, each a normalised string ("" when absent), "others" a sequence:
       repository ("Archive of the President of the Russian Federation (AP RF)"), settlement, collection,
       fond, opis, papka, delo, others (further idnos), folios ("115–122", without "L." or "ff."). -->
  <xsl:function name="ed:ms-parts" as="map(xs:string, item()*)">
    <xsl:param name="ms" as="element()"/>
    <xsl:variable name="id" select="$ms/tei:msIdentifier"/>
    <xsl:variable name="idno" select="function($type) { normalize-space(($id/tei:idno[@type = $type])[1]) }"/>
    <xsl:variable name="locus" select="($ms/tei:msContents//tei:locus, $ms//tei:locus)[1]"/>
    <xsl:sequence select="map {
        'repository': string-join((normalize-space($id/tei:repository), $idno('archive')[.] ! ('(' || . || ')'))[.], ' '),
        'settlement': normalize-space($id/tei:settlement),
        'collection': string-join($id/tei:collection ! normalize-space(.), ', '),
        'fond': $idno('fond'), 'opis': $idno('opis'), 'papka': $idno('papka'), 'delo': $idno('delo'),
        'others': $id/tei:idno[not(@type = $ed:archive-levels)] ! normalize-space(.),
        'folios': if ($locus/@from) then string-join(($locus/@from, $locus/@to[. ne $locus/@from]), '–')
                  else normalize-space(replace($locus, '^\s*(L|l|ff?|fol)\.?\s*', ''))
      }"/>
  </xsl:function>

  <!-- The prior publications and other descriptions of the source in sourceDesc. -->
  <xsl:function name="ed:source-bibls" as="element()*">
    <xsl:param name="header" as="element(tei:teiHeader)"/>
    <xsl:sequence select="$header/tei:fileDesc/tei:sourceDesc/(tei:bibl | tei:biblStruct | tei:biblFull
                          | tei:listBibl/tei:bibl | tei:p)[normalize-space()]"/>
  </xsl:function>

  <!-- What a source bibl is: "First published", "Translation", its @type in words, else "Source". -->
  <xsl:function name="ed:bibl-label" as="xs:string">
    <xsl:param name="bibl" as="element()"/>
    <xsl:sequence select="if ($bibl/@type = 'first-publication') then 'First published'
                          else if ($bibl/@type = 'translation') then 'Translation'
                          else if ($bibl/@type) then ed:capitalise(replace($bibl/@type, '[-_]', ' ')) else 'Source'"/>
  </xsl:function>

  <!-- "Author, Title, Place, Publisher, Date, vol. 1, pp. 192–197" for a structured bibl; its text
       otherwise (a bibl that holds running text of its own keeps all of it). The line of the source
       that a bibl describes (note type="source-wording": "Publ .: Soviet-English relations ... - t. I.")
       is the source's text, not the citation: cited only when the bibl has nothing else. -->
  <xsl:function name="ed:bibl-citation" as="xs:string">
    <xsl:param name="bibl" as="element()"/>
    <xsl:variable name="scope" select="function($unit) { normalize-space(($bibl/tei:biblScope[@unit = $unit])[1]) }"/>
    <xsl:variable name="own" select="normalize-space(string-join($bibl/node()[not(self::tei:note[@type = 'source-wording'])], ''))"/>
    <xsl:sequence select="if ($bibl/tei:title and not($bibl/text()[normalize-space()]))
        then string-join(($bibl/(tei:author | tei:editor) ! normalize-space(.), normalize-space($bibl/tei:title[1]),
                          $bibl/(tei:pubPlace | tei:publisher | tei:date) ! normalize-space(.),
                          $scope('volume')[.] ! ('vol. ' || .),
                          $scope('page')[.] ! ((if (contains(., '–') or contains(., '-')) then 'pp. ' else 'p. ') || .)), ', ')
        else if ($own) then $own
        else ed:source-wording($bibl)"/>
  </xsl:function>

  <!-- The source's own wording of a line the header holds as data, without the importer's questions. -->
  <xsl:function name="ed:source-wording" as="xs:string">
    <xsl:param name="parent" as="element()"/>
    <xsl:sequence select="normalize-space(string-join($parent/tei:note[@type = 'source-wording']
                          //text()[not(ancestor::tei:note[@type = 'todo'])], ''))"/>
  </xsl:function>

  <xsl:function name="ed:capitalise" as="xs:string">
    <xsl:param name="text" as="xs:string"/>
    <xsl:sequence select="upper-case(substring($text, 1, 1)) || substring($text, 2)"/>
  </xsl:function>
</xsl:stylesheet>
