#!/usr/bin/env bash
#
# Copyright (c) 2026 The Boost.UnixIpc authors
#
# Distributed under the Boost Software License, Version 1.0. (See accompanying
# file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
#
# Renders every page of doc/modules/ROOT/pages to OUTDIR/<page>.html with
# Debian's asciidoctor. Any warning (a missing include file or tag, a broken
# cross reference target, a bad table...) fails the script.
#
#     bash doc/render.sh OUTDIR          e.g. doc/html, which /index.html redirects to
#
# OUTDIR is taken relative to the caller's working directory.

set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi

command -v asciidoctor >/dev/null 2>&1 || {
    echo "$0: asciidoctor not found (Debian: apt-get install asciidoctor)" >&2
    exit 1
}

mkdir -p -- "$1"
outdir=$(cd -- "$1" && pwd)
root=$(cd -- "$(dirname -- "$0")/.." && pwd)
pages="$root/doc/modules/ROOT/pages"

shopt -s nullglob
files=("$pages"/*.adoc)
if [[ ${#files[@]} -eq 0 ]]; then
    echo "$0: no pages in $pages" >&2
    exit 1
fi

# Pages include code by tag from example/ with paths relative to the page
# (include::../../../../example/x.cpp[tag=...]). Asciidoctor's safe modes jail
# includes below the page's directory, so the pages are rendered unsafe, as
# the asciidoctor command does by default; they are this repository's own files.
status=0
for f in "${files[@]}"; do
    log=$(asciidoctor --safe-mode unsafe --failure-level WARN \
              --destination-dir "$outdir" -- "$f" 2>&1) || status=1
    if [[ -n "$log" ]]; then
        printf '%s\n' "$log" >&2
        status=1
    fi
done

if [[ $status -ne 0 ]]; then
    echo "$0: rendering failed (see the messages above)" >&2
    exit 1
fi

# A backtick that reaches the rendered text outside a listing is AsciiDoc
# markup that did not apply (`x`'s is read as a curved quote, not monospace
# followed by 's; write ``x``'s): every such page fails.
stray=0
for f in "$outdir"/*.html; do
    found=$(perl -0777 -ne 's{<pre.*?</pre>}{}gs; s{<[^>]*>}{}g; while (/([^\n]{0,40}`[^\n]{0,40})/g) { print "$1\n" }' -- "$f")
    if [[ -n "$found" ]]; then
        printf '%s: stray backtick in the rendered text:\n%s\n' "$(basename -- "$f")" "$found" >&2
        stray=1
    fi
done
if [[ $stray -ne 0 ]]; then
    echo "$0: markup left in the text (see the messages above)" >&2
    exit 1
fi

# asciidoctor does not check links between pages (xref:page.adoc#anchor[]):
# every local link of a rendered page must name a rendered page and an id in it.
for f in "${files[@]}"; do
    html="$outdir/$(basename -- "${f%.adoc}").html"
    while IFS= read -r href; do
        page=${href%%#*}
        frag=
        [[ $href == *"#"* ]] && frag=${href#*#}
        target=$outdir/${page:-$(basename -- "$html")}
        if [[ ! -f $target ]]; then
            echo "$html: link to a missing page: $href" >&2
            status=1
        elif [[ -n $frag ]] && ! grep -qF "id=\"$frag\"" -- "$target"; then
            echo "$html: link to a missing anchor: $href" >&2
            status=1
        fi
    done < <(grep -o 'href="[^":]*"' -- "$html" | sed -e 's/^href="//' -e 's/"$//')
done

if [[ $status -ne 0 ]]; then
    echo "$0: broken links (see the messages above)" >&2
    exit 1
fi
echo "rendered ${#files[@]} pages into $outdir"
