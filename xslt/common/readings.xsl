<?xml version="1.0" encoding="UTF-8"?>
<!--
  Alternate readings (choice, app), decided once for both outputs: which reading the edited text shows,
  which the source has, which others there are. The web shows the edited reading with the source's one
  reading switch away; print shows it with a letter and an apparatus entry. Both ask these functions.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition.example/ns"
    exclude-result-prefixes="#all">

  <!-- What a choice is: an editorial intervention with the source's reading beside the editors'
       ("correction" sic/corr, "regularisation" orig/reg, "expansion" abbr/expan), or "alternatives"
       (seg/seg, unclear/unclear, a corr without its sic) that the source leaves open. -->
  <xsl:function name="ed:choice-kind" as="xs:string">
    <xsl:param name="choice" as="element()"/>
    <xsl:sequence select="
        if (not($choice/(tei:sic | tei:orig | tei:abbr) and $choice/(tei:corr | tei:reg | tei:expan))) then 'alternatives'
        else if ($choice/tei:sic) then 'correction'
        else if ($choice/tei:orig) then 'regularisation'
        else 'expansion'"/>
  </xsl:function>

  <!-- The reading the edited text shows: the correction, the regularisation, the expansion; else the first. -->
  <xsl:function name="ed:shown-reading" as="element()?">
    <xsl:param name="choice" as="element()"/>
    <xsl:sequence select="($choice/tei:corr, $choice/tei:reg, $choice/tei:expan, $choice/*)[1]"/>
  </xsl:function>

  <!-- The source's reading of an editorial intervention (empty for alternatives). -->
  <xsl:function name="ed:source-reading" as="element()?">
    <xsl:param name="choice" as="element()"/>
    <xsl:sequence select="if (ed:choice-kind($choice) = 'alternatives') then ()
                          else ($choice/tei:sic, $choice/tei:orig, $choice/tei:abbr)[1]"/>
  </xsl:function>

  <!-- The reading of an app in the text: the lemma, else the first reading (also inside a rdgGrp). -->
  <xsl:function name="ed:app-reading" as="element()?">
    <xsl:param name="app" as="element()"/>
    <xsl:sequence select="($app//tei:lem[ancestor::tei:app[1] is $app], $app//tei:rdg[ancestor::tei:app[1] is $app])[1]"/>
  </xsl:function>

  <!-- The other readings of an app, in document order (never dropped). -->
  <xsl:function name="ed:app-variants" as="element()*">
    <xsl:param name="app" as="element()"/>
    <xsl:sequence select="$app//(tei:rdg | tei:lem)[ancestor::tei:app[1] is $app] except ed:app-reading($app)"/>
  </xsl:function>

  <!-- The editors' notes on the variation. -->
  <xsl:function name="ed:app-notes" as="element()*">
    <xsl:param name="app" as="element()"/>
    <xsl:sequence select="$app/tei:note | $app/tei:rdgGrp/tei:note"/>
  </xsl:function>
</xsl:stylesheet>
