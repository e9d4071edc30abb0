<?xml version="1.0" encoding="UTF-8"?>
<!-- Helpers of the HTML stylesheet: links, ids, speaker colours, numbering. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition.example/ns"
    xmlns:h="https://edition.example/ns/html"
    exclude-result-prefixes="#all">

  <xsl:function name="h:href" as="xs:string">
    <xsl:param name="site-path" as="xs:string"/>
    <xsl:sequence select="concat($root, $site-path)"/>
  </xsl:function>

  <!-- Where a link from the document goes: an external http(s)/mailto URL as it is; a pointer to a
       register entry, to another document of the edition or to an element of this one, to its page;
       anything else (javascript:, an image that is not published, a missing id) to nowhere. -->
  <xsl:function name="h:link-target" as="xs:string?">
    <xsl:param name="url" as="xs:string?"/>
    <xsl:param name="context" as="node()"/>
    <xsl:variable name="safe" select="ed:safe-url(tokenize(normalize-space($url), ' ')[1])"/>
    <xsl:variable name="entity" select="if ($safe) then h:entity($safe, $context) else ()"/>
    <xsl:variable name="absolute" select="if ($safe and not(matches($safe, '^[a-zA-Z][a-zA-Z0-9+.\-]*:|^#|^//')))
                                          then ed:resolve($safe, $context) else ()"/>
    <xsl:variable name="file" select="if ($absolute) then replace($absolute, '#.*$', '') else ()"/>
    <xsl:variable name="fragment" select="if ($safe and contains($safe, '#')) then replace($safe, '^[^#]*#', '') else ''"/>
    <xsl:sequence select="
        if (empty($safe)) then ()
        else if (matches($safe, '^(https?|mailto):', 'i')) then $safe
        else if (exists($entity)) then h:href($entity?href)
        else if (starts-with($safe, '#')) then (if (h:html-id-exists(root($context), $fragment)) then $safe else ())
        else if ($file and map:contains($h:documents, $file))
          then h:href(concat($h:documents($file), if ($fragment) then concat('#', $fragment) else ''))
        else ()" xmlns:map="http://www.w3.org/2005/xpath-functions/map"/>
  </xsl:function>

  <!-- ed:entity (common/registers.xsl) of each pointer value of the document, resolved once: a name
       pointer is repeated through a document, and resolving it against the base URI each time was a
       fifth of the transformation. Only where every node has the document's base URI (no xml:base):
       elsewhere, and for any other value, ed:entity itself. -->
  <xsl:variable name="h:document" select="/"/>
  <xsl:variable name="h:entities-by-pointer" as="map(xs:string, map(*)?)" xmlns:map="http://www.w3.org/2005/xpath-functions/map"
      select="if (exists(//@xml:base)) then map {} else
              map:merge(for $pointer in distinct-values(//(@ref | @key | @sameAs | @corresp | @target)[contains(., '#')] ! string(.))
                        return map {$pointer: ed:entity($pointer, $h:document)})"/>

  <xsl:function name="h:entity" as="map(*)?">
    <xsl:param name="pointer" as="xs:string?"/>
    <xsl:param name="context" as="node()"/>
    <xsl:sequence select="if (exists($pointer) and map:contains($h:entities-by-pointer, $pointer) and root($context) is $h:document)
                          then $h:entities-by-pointer($pointer) else ed:entity($pointer, $context)"
        xmlns:map="http://www.w3.org/2005/xpath-functions/map"/>
  </xsl:function>

  <!-- Elements of the text keep their xml:id as the HTML id, so "#x" links work when x is in the text. -->
  <xsl:key name="h:text-ids" match="tei:text//*[@xml:id]" use="@xml:id"/>

  <xsl:function name="h:html-id-exists" as="xs:boolean">
    <xsl:param name="doc" as="node()"/>
    <xsl:param name="id" as="xs:string"/>
    <xsl:sequence select="exists(key('h:text-ids', $id, root($doc)))"/>
  </xsl:function>

  <!-- The id attribute of an element: its xml:id, if any. -->
  <xsl:template name="h:id">
    <xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
  </xsl:template>

  <!-- Common attributes of every HTML element made from a TEI element: id and language. -->
  <!-- Initials stay with what follows ("J. V. Stalin", "A. Eden" never break after the stop): a
       no-break space after a capital's full stop before another capital. -->
  <xsl:template match="text()" mode="#default ed:header ed:note-body">
    <xsl:value-of select="h:initials(.)"/>
  </xsl:template>

  <xsl:function name="h:initials" as="xs:string">
    <xsl:param name="text" as="xs:string"/>
    <!-- twice: "J. V. Stalin" has two, and a match consumes the capital the next one starts from. The
         patterns are literals, which Saxon compiles with the stylesheet (one in a variable may be compiled at
         each call, for every text node); a text without ". " cannot match, and most have none. -->
    <xsl:sequence select="if (contains($text, '. ') and matches($text, '(^|[\s\p{Z}(])(\p{Lu}\.) +(\p{Lu})'))
                          then replace(replace($text, '(^|[\s\p{Z}(])(\p{Lu}\.) +(\p{Lu})', '$1$2&#xA0;$3'),
                                       '(^|[\s\p{Z}(])(\p{Lu}\.) +(\p{Lu})', '$1$2&#xA0;$3')
                          else $text"/>
  </xsl:function>

  <xsl:template name="h:attrs">
    <xsl:call-template name="h:id"/>
    <xsl:if test="@xml:lang"><xsl:attribute name="lang" select="@xml:lang"/></xsl:if>
  </xsl:template>

  <!-- A hue derived from a person's id (a djb2-style string hash onto 12 well-separated hues), the same
       on every page and in every build; edition/render/site.py computes the same for Python pages. -->
  <xsl:function name="h:hue" as="xs:integer">
    <xsl:param name="id" as="xs:string"/>
    <xsl:sequence select="fold-left(string-to-codepoints($id), 0, function($h, $c) { ($h * 33 + $c) mod 1000003 }) mod 12 * 30"/>
  </xsl:function>

  <!-- Numbers by position, computed once per document rather than by counting preceding nodes
       each time (that is quadratic in a long document): paragraphs, breaks and notes. -->
  <xsl:mode use-accumulators="#all"/>

  <xsl:accumulator name="h:paragraphs" as="xs:integer" initial-value="0">
    <xsl:accumulator-rule match="tei:text//tei:p | tei:text//tei:ab" select="$value + 1"/>
  </xsl:accumulator>

  <xsl:accumulator name="h:breaks" as="xs:integer" initial-value="0">
    <xsl:accumulator-rule match="tei:text//(tei:pb | tei:cb | tei:milestone | tei:gb)" select="$value + 1"/>
  </xsl:accumulator>

  <!-- The count behind an apparatus letter (common/apparatus.xsl: ed:app-letter, which numbers with
       xsl:number level="any" from="tei:text": a walk back through the document at each of its five
       uses per entry): the same count, restarting at each text, made in one pass. -->
  <xsl:accumulator name="h:apparatus" as="xs:integer" initial-value="0">
    <xsl:accumulator-rule match="tei:text" select="0"/>
    <xsl:accumulator-rule match="tei:choice | tei:app | tei:supplied" select="$value + 1"/>
  </xsl:accumulator>

  <!-- A note's number (its position among the notes of the text: its id) and its label (@n when
       given; notes without a marker of their own are numbered among themselves: 1, 2, 3 ...). -->
  <xsl:variable name="h:note-numbers" as="map(xs:string, xs:integer)"
      select="map:merge(for $i in 1 to count($h:notes) return map {generate-id($h:notes[$i]): $i})"
      xmlns:map="http://www.w3.org/2005/xpath-functions/map"/>

  <xsl:variable name="h:unmarked-numbers" as="map(xs:string, xs:integer)"
      select="let $unmarked := $h:notes[not(normalize-space(@n))]
              return map:merge(for $i in 1 to count($unmarked) return map {generate-id($unmarked[$i]): $i})"
      xmlns:map="http://www.w3.org/2005/xpath-functions/map"/>

  <xsl:function name="h:note-number" as="xs:integer">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="$h:note-numbers(generate-id($note))"/>
  </xsl:function>

  <xsl:function name="h:note-id" as="xs:string">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="($note/@xml:id, h:generated-id('fn-' || h:note-number($note), $note))[1]"/>
  </xsl:function>

  <!-- A generated id ("p-3", "fn-2", "pb-1") unless the document already uses it as an xml:id. -->
  <xsl:function name="h:generated-id" as="xs:string">
    <xsl:param name="candidate" as="xs:string"/>
    <xsl:param name="context" as="node()"/>
    <xsl:sequence select="if (h:html-id-exists($context, $candidate)) then $candidate || '-' || generate-id($context) else $candidate"/>
  </xsl:function>

  <xsl:function name="h:note-label" as="xs:string">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="if (normalize-space($note/@n)) then normalize-space($note/@n)
                          else string($h:unmarked-numbers(generate-id($note)))"/>
  </xsl:function>

  <!-- May this element become a link? Not when it holds something that is a link itself (a note
       marker, a reference, a page-break anchor): HTML does not nest links. -->
  <xsl:function name="h:can-link" as="xs:boolean">
    <xsl:param name="element" as="element()"/>
    <xsl:sequence select="empty($element//(tei:note | tei:ref | tei:ptr | tei:pb | tei:cb | tei:milestone | tei:gb | tei:graphic))"/>
  </xsl:function>

  <!-- Does this TEI element hold anything HTML forbids inside <p> or <span> (lists, tables, verse)? -->
  <xsl:function name="h:has-blocks" as="xs:boolean">
    <xsl:param name="element" as="element()"/>
    <xsl:sequence select="exists($element//*[ed:is-block(.) and not(ancestor::tei:note[ancestor::* intersect $element])
                                              and not(self::tei:note)])"/>
  </xsl:function>
</xsl:stylesheet>
