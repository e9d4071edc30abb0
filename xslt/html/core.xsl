<?xml version="1.0" encoding="UTF-8"?>
<!-- TEI chapter "Elements available in all TEI documents" (core) and "Default text structure". -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition.example/ns"
    xmlns:h="https://edition.example/ns/html"
    exclude-result-prefixes="#all">

  <!-- Structure ============================================================================== -->

  <!-- A TEI document inside a teiCorpus: its own metadata block, then its text. -->
  <xsl:template match="tei:TEI">
    <article class="tei-TEI">
      <xsl:call-template name="h:attrs"/>
      <xsl:apply-templates select="tei:teiHeader" mode="ed:header"/>
      <xsl:apply-templates select="node() except tei:teiHeader"/>
    </article>
  </xsl:template>

  <xsl:template match="tei:text | tei:front | tei:body | tei:back | tei:group">
    <div class="tei-{local-name()}">
      <xsl:call-template name="h:attrs"/>
      <xsl:apply-templates/>
    </div>
  </xsl:template>

  <xsl:template match="tei:div | tei:div1 | tei:div2 | tei:div3 | tei:div4 | tei:floatingText">
    <section class="tei-div">
      <xsl:call-template name="h:attrs"/>
      <xsl:if test="@type"><xsl:attribute name="data-type" select="@type"/></xsl:if>
      <xsl:apply-templates/>
    </section>
  </xsl:template>

  <!-- Headings: h2 for a top-level division (h1 is the document's title), deeper ones below it. -->
  <xsl:template match="tei:head">
    <xsl:variable name="level" select="min((6, 1 + count(ancestor::*[self::tei:div or self::tei:div1 or self::tei:div2
                                           or self::tei:div3 or self::tei:div4 or self::tei:floatingText])))"/>
    <xsl:element name="h{max((2, $level))}">
      <xsl:attribute name="class" select="'tei-head'"/>
      <xsl:call-template name="h:attrs"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:head[parent::tei:list or parent::tei:lg or parent::tei:table or parent::tei:figure
                       or parent::tei:listBibl or parent::tei:sp or parent::tei:castList or parent::tei:note]">
    <div class="tei-head">
      <xsl:call-template name="h:attrs"/>
      <xsl:apply-templates/>
    </div>
  </xsl:template>

  <!-- Paragraphs: a stable anchor (xml:id, else p-N by position) and a visible permalink. HTML
       forbids lists and tables inside <p>, so a paragraph holding one becomes a div. -->
  <xsl:template match="tei:p | tei:ab">
    <xsl:variable name="id" as="xs:string">
      <xsl:choose>
        <xsl:when test="@xml:id"><xsl:sequence select="string(@xml:id)"/></xsl:when>
        <xsl:otherwise><xsl:sequence select="h:generated-id('p-' || accumulator-before('h:paragraphs'), .)"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:element name="{if (h:has-blocks(.)) then 'div' else 'p'}">
      <xsl:attribute name="class" select="string-join(('tei-' || local-name(), @rend ! ('rend-' || .)), ' ')"/>
      <xsl:attribute name="id" select="$id"/>
      <xsl:if test="@xml:lang"><xsl:attribute name="lang" select="@xml:lang"/></xsl:if>
      <xsl:apply-templates/>
      <xsl:text> </xsl:text>
      <a class="permalink" href="#{$id}" title="Link to this paragraph" aria-label="Link to this paragraph"
         data-pagefind-ignore="">¶</a>
    </xsl:element>
  </xsl:template>

  <!-- Paragraphs inside notes and table cells: no anchor of their own. -->
  <xsl:template match="tei:p[ancestor::tei:note] | tei:p[ancestor::tei:cell] | tei:p[ancestor::tei:teiHeader]">
    <xsl:element name="{if (h:has-blocks(.)) then 'div' else 'p'}">
      <xsl:call-template name="h:attrs"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:opener | tei:closer | tei:dateline | tei:salute | tei:signed | tei:byline
                       | tei:postscript | tei:epigraph | tei:argument | tei:trailer | tei:docTitle | tei:titlePage
                       | tei:titlePart | tei:docAuthor | tei:docDate | tei:docImprint | tei:address">
    <div class="tei-{local-name()}">
      <xsl:call-template name="h:attrs"/>
      <xsl:apply-templates/>
    </div>
  </xsl:template>

  <xsl:template match="tei:seg">
    <span class="{string-join(('tei-seg', @type ! ('type-' || replace(., '[^\w-]', '_'))), ' ')}">
      <xsl:call-template name="h:attrs"/>
      <xsl:apply-templates/>
    </span>
  </xsl:template>

  <!-- Lists: numbered when the source numbers them; a list with labels is a description list. -->
  <xsl:template match="tei:list">
    <xsl:variable name="ordered" select="@type = ('ordered', 'numbered') or matches(@rend, 'numbered|ordered')"/>
    <xsl:apply-templates select="tei:head"/>
    <xsl:element name="{if (tei:label) then 'dl' else if ($ordered) then 'ol' else 'ul'}">
      <xsl:attribute name="class" select="string-join(('tei-list', if (tei:item/@n) then 'has-n' else ()), ' ')"/>
      <xsl:call-template name="h:attrs"/>
      <xsl:apply-templates select="node() except tei:head"/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:item">
    <xsl:element name="{if (../tei:label) then 'dd' else 'li'}">
      <xsl:call-template name="h:attrs"/>
      <xsl:if test="@n"><span class="item-n"><xsl:value-of select="@n"/></span><xsl:text> </xsl:text></xsl:if>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:list/tei:label">
    <dt><xsl:call-template name="h:attrs"/><xsl:apply-templates/></dt>
  </xsl:template>

  <xsl:template match="tei:label">
    <span class="tei-label"><xsl:call-template name="h:attrs"/><xsl:apply-templates/></span>
  </xsl:template>

  <!-- Verse and tables -->
  <xsl:template match="tei:lg">
    <div class="tei-lg"><xsl:call-template name="h:attrs"/><xsl:apply-templates/></div>
  </xsl:template>

  <xsl:template match="tei:l">
    <div class="tei-l"><xsl:call-template name="h:attrs"/><xsl:apply-templates/></div>
  </xsl:template>

  <xsl:template match="tei:table">
    <table class="tei-table">
      <xsl:call-template name="h:attrs"/>
      <xsl:if test="tei:head"><caption><xsl:apply-templates select="tei:head/node()"/></caption></xsl:if>
      <tbody><xsl:apply-templates select="node() except tei:head"/></tbody>
    </table>
  </xsl:template>

  <xsl:template match="tei:row">
    <tr><xsl:call-template name="h:attrs"/><xsl:apply-templates/></tr>
  </xsl:template>

  <xsl:template match="tei:cell">
    <xsl:element name="{if (@role = 'label' or ../@role = 'label') then 'th' else 'td'}">
      <xsl:call-template name="h:attrs"/>
      <xsl:if test="@cols"><xsl:attribute name="colspan" select="@cols"/></xsl:if>
      <xsl:if test="@rows"><xsl:attribute name="rowspan" select="@rows"/></xsl:if>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:figure">
    <figure class="tei-figure">
      <xsl:call-template name="h:attrs"/>
      <xsl:apply-templates select="node() except (tei:head | tei:figDesc)"/>
      <xsl:if test="tei:head | tei:figDesc">
        <figcaption><xsl:apply-templates select="(tei:head | tei:figDesc) ! node()"/></figcaption>
      </xsl:if>
    </figure>
  </xsl:template>

  <!-- Images are not copied into the site (no remote assets either): a link stands for them. -->
  <xsl:template match="tei:graphic | tei:media">
    <xsl:variable name="target" select="h:link-target(@url, .)"/>
    <xsl:choose>
      <xsl:when test="$target">
        <a class="tei-graphic" href="{$target}" rel="noopener">[image]</a>
      </xsl:when>
      <xsl:otherwise><span class="tei-graphic">[image]</span></xsl:otherwise>
    </xsl:choose>
    <!-- its description (desc), which is text of the document -->
    <xsl:for-each select="tei:desc">
      <xsl:text> </xsl:text><span class="tei-desc"><xsl:apply-templates/></span>
    </xsl:for-each>
  </xsl:template>

  <!-- Phrases ================================================================================= -->

  <xsl:template match="tei:hi">
    <xsl:variable name="rend" select="string-join((@rend, @rendition), ' ')"/>
    <xsl:variable name="tag" select="if (matches($rend, 'sup')) then 'sup' else if (matches($rend, 'sub')) then 'sub'
                                     else if (matches($rend, 'bold|strong')) then 'strong'
                                     else if (matches($rend, 'italic')) then 'em' else 'span'"/>
    <xsl:element name="{$tag}">
      <xsl:attribute name="class" select="string-join(('tei-hi', tokenize($rend, '\s+')[.] ! ('rend-' || replace(., '[^\w-]', ''))), ' ')"/>
      <xsl:call-template name="h:attrs"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:emph | tei:mentioned | tei:soCalled | tei:distinct | tei:term | tei:gloss | tei:foreign">
    <em class="tei-{local-name()}"><xsl:call-template name="h:attrs"/><xsl:apply-templates/></em>
  </xsl:template>

  <xsl:template match="tei:title">
    <cite class="tei-title"><xsl:call-template name="h:attrs"/><xsl:apply-templates/></cite>
  </xsl:template>

  <!-- Quotation: the encoding leaves the marks out, the output supplies them (‘ ’ inside “ ”). -->
  <xsl:template match="tei:q | tei:quote[not(h:has-blocks(.))] | tei:said[not(@direct = 'false')]">
    <xsl:variable name="depth" select="count(ancestor::*[self::tei:q or self::tei:quote or self::tei:said[not(@direct = 'false')]])"/>
    <span class="tei-{local-name()}">
      <xsl:call-template name="h:attrs"/>
      <xsl:call-template name="h:said-who"/>
      <xsl:value-of select="if ($depth mod 2 = 0) then '“' else '‘'"/>
      <xsl:apply-templates/>
      <xsl:value-of select="if ($depth mod 2 = 0) then '”' else '’'"/>
    </span>
  </xsl:template>

  <xsl:template match="tei:quote">
    <blockquote class="tei-quote"><xsl:call-template name="h:attrs"/><xsl:apply-templates/></blockquote>
  </xsl:template>

  <!-- Reported speech (said direct="false") keeps no quotation marks but shows whose turn it is. -->
  <xsl:template match="tei:said">
    <span class="tei-said indirect">
      <xsl:call-template name="h:attrs"/>
      <xsl:call-template name="h:said-who"/>
      <xsl:apply-templates/>
    </span>
  </xsl:template>

  <xsl:template name="h:said-who">
    <xsl:if test="@who">
      <xsl:variable name="who" select="ed:id(tokenize(normalize-space(@who), ' ')[1])"/>
      <xsl:attribute name="data-who" select="$who"/>
      <xsl:attribute name="style" select="'--speaker-hue: ' || h:hue($who)"/>
      <xsl:attribute name="title" select="'Words of ' || ed:pointer-name(tokenize(normalize-space(@who), ' ')[1], ., 'name')"/>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:cit">
    <span class="tei-cit"><xsl:call-template name="h:attrs"/><xsl:apply-templates/></span>
  </xsl:template>

  <xsl:template match="tei:bibl">
    <span class="tei-bibl"><xsl:call-template name="h:attrs"/><xsl:apply-templates/></span>
  </xsl:template>

  <xsl:template match="tei:listBibl">
    <div class="tei-listBibl"><xsl:call-template name="h:attrs"/><xsl:apply-templates/></div>
  </xsl:template>

  <xsl:template match="tei:listBibl/tei:bibl">
    <div class="tei-bibl"><xsl:call-template name="h:attrs"/><xsl:apply-templates/></div>
  </xsl:template>

  <!-- Phrase-level elements with no special rendering: a span named after them, no diagnostic. -->
  <xsl:template match="tei:num | tei:measure | tei:measureGrp | tei:time | tei:abbr | tei:expan | tei:orig | tei:reg
                       | tei:sic | tei:corr | tei:w | tei:c | tei:pc | tei:s | tei:phr | tei:cl | tei:m | tei:addrLine
                       | tei:street | tei:postCode | tei:email | tei:author | tei:editor | tei:publisher | tei:pubPlace
                       | tei:biblScope | tei:idno | tei:series | tei:edition | tei:desc | tei:figDesc | tei:ident
                       | tei:code | tei:val | tei:tag | tei:name | tei:objectName">
    <span class="tei-{local-name()}"><xsl:call-template name="h:attrs"/><xsl:apply-templates/></span>
  </xsl:template>

  <!-- Links: only safe targets become links; the text stays either way. -->
  <xsl:template match="tei:ref">
    <xsl:variable name="target" select="if (h:can-link(.) and not(ancestor::tei:ref)) then h:link-target(@target, .) else ()"/>
    <xsl:choose>
      <xsl:when test="$target">
        <a class="tei-ref" href="{$target}">
          <xsl:call-template name="h:attrs"/>
          <xsl:if test="matches($target, '^https?:', 'i')"><xsl:attribute name="rel" select="'noopener'"/></xsl:if>
          <xsl:apply-templates/>
        </a>
      </xsl:when>
      <xsl:otherwise>
        <span class="tei-ref unresolved"><xsl:call-template name="h:attrs"/><xsl:apply-templates/></span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:ptr">
    <xsl:variable name="target" select="h:link-target(@target, .)"/>
    <xsl:if test="$target">
      <a class="tei-ptr" href="{$target}">
        <xsl:if test="matches($target, '^https?:', 'i')"><xsl:attribute name="rel" select="'noopener'"/></xsl:if>
        <xsl:value-of select="if (starts-with($target, '#')) then '→' else $target"/>
      </a>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:anchor">
    <span class="tei-anchor"><xsl:call-template name="h:id"/></span>
  </xsl:template>

  <!-- Notes =================================================================================== -->

  <!-- In the text: the marker only (the source's own @n, e.g. "*", else the note's number). -->
  <xsl:template match="tei:note">
    <xsl:variable name="id" select="h:note-id(.)"/>
    <a class="note-ref" id="ref-{$id}" href="#{$id}" role="doc-noteref" data-note="{$id}" data-pagefind-ignore="">
      <xsl:attribute name="aria-label" select="'Note ' || h:note-label(.)"/>
      <sup><xsl:value-of select="h:note-label(.)"/></sup>
    </a>
  </xsl:template>

  <!-- Outside the text (a note in the header, e.g. an editor's reminder) a note is not a footnote of
       the document: it is shown in place, in parentheses, so its text is neither lost nor misnumbered. -->
  <xsl:template match="tei:note[not(ancestor::tei:text)]" priority="1">
    <span class="tei-note header-note"> (<xsl:apply-templates/>)</span>
  </xsl:template>

  <xsl:template match="tei:note" mode="ed:note-body">
    <xsl:variable name="id" select="h:note-id(.)"/>
    <li id="{$id}" class="{string-join(('note', @type ! ('type-' || replace(., '[^\w-]', '_'))), ' ')}">
      <a class="note-back" href="#ref-{$id}" role="doc-backlink" title="Back to the text"
         aria-label="Back to the text, note {h:note-label(.)}"><xsl:value-of select="h:note-label(.)"/></a>
      <xsl:text> </xsl:text>
      <div class="note-body">
        <xsl:apply-templates/>
        <xsl:if test="@type = 'source' or @resp">
          <xsl:text> </xsl:text>
          <span class="note-resp" data-pagefind-ignore="">
            <xsl:text>(</xsl:text>
            <xsl:value-of select="if (@type = 'source') then 'note of the source' else 'editorial note'"/>
            <xsl:if test="@resp"><xsl:text>, </xsl:text><xsl:value-of select="h:resp-name(@resp, .)"/></xsl:if>
            <xsl:text>)</xsl:text>
          </span>
        </xsl:if>
      </div>
    </li>
  </xsl:template>

  <!-- Who is responsible: "#ed" is an editor or respStmt of the header; its name, not its id. -->
  <xsl:function name="h:resp-name" as="xs:string">
    <xsl:param name="resp" as="attribute()"/>
    <xsl:param name="context" as="node()"/>
    <xsl:variable name="ids" select="tokenize(normalize-space($resp), ' ') ! ed:id(.)"/>
    <xsl:variable name="names" select="for $id in $ids return
        ((if (root($context) instance of document-node()) then key('ed:ids', $id, root($context))[ancestor::tei:teiHeader]
          else root($context)//tei:teiHeader//*[@xml:id = $id]) ! normalize-space(string-join((self::tei:respStmt/(tei:persName | tei:orgName | tei:name), self::*[not(self::tei:respStmt)]), ' ')), $id)[1]"/>
    <xsl:sequence select="string-join($names, ', ')"/>
  </xsl:function>

  <!-- Breaks ================================================================================== -->

  <xsl:template match="tei:lb">
    <xsl:if test="@break = 'no'"><span class="lb-hyphen" aria-hidden="true"/></xsl:if>
    <br class="tei-lb"/>
  </xsl:template>

  <!-- A break of the source: "‖" in the line and its label (common/breaks.xsl: "L. 116", "p. 12",
       "p. [2]" for an unnumbered one) in the margin on wide screens, after the mark on narrow ones;
       what it links to besides its anchor (a facsimile) in mode ed:break-links. -->
  <xsl:template match="tei:pb | tei:cb | tei:milestone | tei:gb">
    <xsl:variable name="id" select="(@xml:id, h:generated-id('pb-' || accumulator-before('h:breaks'), .))[1]"/>
    <span class="break tei-{local-name()}" id="{$id}" data-pagefind-ignore="">
      <!-- the facsimile viewer (static/facsimile.js) shows the page image this @facs names -->
      <xsl:if test="@facs and not(matches(@facs, '^\s*[A-Za-z][A-Za-z0-9+.\-]*:'))"><xsl:attribute name="data-facs" select="normalize-space(@facs)"/></xsl:if>
      <a class="break-marker" href="#{$id}" title="{ed:break-description(.)}">
        <xsl:value-of select="ed:break-label(.)"/>
      </a>
      <xsl:apply-templates select="." mode="ed:break-links"/>
    </span>
  </xsl:template>

  <!-- What a break links to besides its own anchor: its facsimile (@facs) when that is a page of its own. -->
  <xsl:template match="*" mode="ed:break-links">
    <xsl:variable name="facs" select="if (@facs) then h:link-target(@facs, .) else ()"/>
    <xsl:if test="$facs and not(starts-with($facs, '#'))"><xsl:text> </xsl:text><a class="facs" href="{$facs}" rel="noopener">facsimile</a></xsl:if>
  </xsl:template>
</xsl:stylesheet>
