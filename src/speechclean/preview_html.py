"""The HTML review page: one self-contained file (inline CSS and JS; no network, no
external script, style or font) showing every document with its removals highlighted.

Layout of the page: a summary, the per-rule table (each rule links to a filtered view of
its occurrences and to its first one), then one collapsed ``<details class="doc">`` per
file. A document's ``<pre class="text">`` holds its whole source: kept text as is, removed
text in ``<del class="rm" data-rule=… data-category=…>`` and inserted text in
``<ins class="add" …>``, so the text of the ``<pre>`` without its ``<ins>`` elements is
exactly the source. Filters (rule, site, path; state kept in the URL fragment, e.g.
``page.html#rule=common/contact-line&site=panjin``, ``&open=1`` opens the documents shown)
hide the documents that do not match.
"""

from __future__ import annotations

import json
from collections import Counter
from html import escape
from urllib.parse import quote

from . import __version__
from .document import WHOLE_LINE_ACTIONS
from .pipeline import Pipeline
from .preview import LAYOUT, FilePreview, Segment, rule_table

CATEGORY_COLOURS = {
    "header": "#ffd6a5", "footer": "#fdffb6", "ad": "#ffadad", "watermark": "#e4c1f9",
    "navigation": "#9bf6ff", "pagination": "#a0c4ff", "metadata": "#bdb2ff",
    "truncation": "#ffc6ff", "spam": "#ff8fa3", "artifact": "#caffbf", LAYOUT: "#e0e0e0",
}  # fmt: skip

CSS = """
:root{--fg:#1d1d1f;--muted:#666;--line:#ddd;--accent:#0b57d0}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1200px;padding:1rem 1.5rem 4rem;color:var(--fg);
 font:14px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei",sans-serif}
h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.1rem;margin:1.6rem 0 .5rem}
.meta,.muted{color:var(--muted)}a{color:var(--accent)}
table{border-collapse:collapse;width:100%}th,td{padding:2px 8px;border-bottom:1px solid var(--line);
 text-align:left;white-space:nowrap}th{position:sticky;top:0;background:#f6f6f6}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
tr.dead td{color:#a15c00}tr.dead td:first-child::after{content:" never fired";font-size:11px}
.sw{display:inline-block;width:.9em;height:.9em;border-radius:2px;vertical-align:-1px;margin-right:4px}
.stats{display:flex;gap:2rem;flex-wrap:wrap;margin:.5rem 0}.stats b{font-size:1.3rem;display:block}
#filters{position:sticky;top:0;z-index:3;background:#fff;border-bottom:1px solid var(--line);
 padding:.5rem 0;display:flex;flex-wrap:wrap;gap:.6rem 1rem;align-items:center}
#filters select,#filters input[type=search]{font:inherit;max-width:22rem}
details.doc{border:1px solid var(--line);border-radius:6px;margin:.4rem 0}
details.doc>summary{cursor:pointer;padding:.35rem .6rem;list-style-position:inside}
details.doc[open]>summary{border-bottom:1px solid var(--line);background:#fafafa}
.path{font-weight:600;font-family:ui-monospace,monospace}
.badge{display:inline-block;border-radius:3px;padding:0 5px;margin-left:4px;font-size:12px}
.warn{background:#fff3cd;color:#7a4d00}.err{background:#f8d7da;color:#842029}
.info{padding:.3rem .8rem;color:var(--muted);font-size:13px}
pre.text{margin:0;padding:.6rem .8rem;white-space:pre-wrap;overflow-wrap:anywhere;
 font:15px/1.7 "Noto Sans CJK SC","Microsoft YaHei",system-ui,sans-serif}
del.rm{text-decoration:line-through rgba(160,0,0,.55);color:#6b0000;position:relative;border-radius:2px}
del.rm.lbl::before,body.labels del.rm::before,ins.add::before{content:attr(data-rule) " · " attr(data-category);
 font:11px/1.4 system-ui,sans-serif;background:#333;color:#fff;border-radius:3px;padding:0 4px;
 margin-right:4px;display:inline-block;text-decoration:none;vertical-align:1px}
del.rm:not(.lbl):hover::after{content:attr(data-rule) " · " attr(data-category);position:absolute;
 left:0;top:100%;z-index:2;white-space:nowrap;font:11px/1.4 system-ui,sans-serif;
 background:#333;color:#fff;border-radius:3px;padding:0 4px}
ins.add{text-decoration:none;background:#b7efc5;color:#064e1a;border-radius:2px}
del.rm.nl::before,body.labels del.rm.nl::before{all:initial;content:"⏎";font:inherit;color:#a00}
ins.add.nl::before{content:"↵ " attr(data-rule) " · " attr(data-category)}
del.layout,body:not(.layout) del.layout::before{all:unset}
body:not(.layout) del.layout.nl::before{content:none}
body:not(.layout) ins.layout{display:none}
body.layout del.layout{background:#e0e0e0}
.flash{outline:3px solid var(--accent);outline-offset:1px}
""" + "".join(
    f'del.rm[data-category="{c}"]{{background:{v}}}' for c, v in CATEGORY_COLOURS.items()
    if c != LAYOUT
)

JS = r"""
(function(){
var docs=[].slice.call(document.querySelectorAll('details.doc'));
var fRule=document.getElementById('f-rule'),fSite=document.getElementById('f-site'),
 fText=document.getElementById('f-text'),count=document.getElementById('count'),
 dim=document.getElementById('dim-style'),cursor=-1;
function has(list,v){return (' '+list+' ').indexOf(' '+v+' ')>=0}
function apply(){
 var r=fRule.value,s=fSite.value,q=fText.value.toLowerCase(),n=0;
 docs.forEach(function(d){
  var ok=(!r||has(d.dataset.rules,r))&&(!s||has(d.dataset.sites,s))&&
   (!q||d.dataset.path.toLowerCase().indexOf(q)>=0);
  d.hidden=!ok;if(ok)n++;});
 count.textContent=n+' of '+docs.length+' documents';
 dim.textContent=r?('del.rm:not([data-rule="'+CSS.escape(r)+'"]){background:none;color:inherit;text-decoration:none}'+
  'del.rm:not([data-rule="'+CSS.escape(r)+'"])::before{display:none}'):'';
 var h=[];if(r)h.push('rule='+encodeURIComponent(r));if(s)h.push('site='+encodeURIComponent(s));
 if(q)h.push('q='+encodeURIComponent(q));
 history.replaceState(null,'',h.length?'#'+h.join('&'):location.pathname+location.search);
 cursor=-1;}
function fromHash(){
 var h=location.hash.slice(1);if(h.indexOf('=')<0){reveal(h&&document.getElementById(decodeURIComponent(h)));return}
 var p={};h.split('&').forEach(function(kv){var i=kv.indexOf('=');p[kv.slice(0,i)]=decodeURIComponent(kv.slice(i+1))});
 if(p.rule!==undefined)setSelect(fRule,p.rule);if(p.site!==undefined)setSelect(fSite,p.site);
 if(p.q!==undefined)fText.value=p.q;apply();
 if(p.open)docs.forEach(function(d){if(!d.hidden)d.open=true});}
function setSelect(sel,v){if(![].some.call(sel.options,function(o){return o.value===v})){
 var o=document.createElement('option');o.value=o.textContent=v;sel.appendChild(o);}sel.value=v;}
function reveal(el){if(!el)return;var d=el.closest('details.doc');
 if(d&&d.hidden){fRule.value=fSite.value=fText.value='';apply();}
 for(var p=el;p;p=p.parentElement)if(p.tagName==='DETAILS')p.open=true;
 el.scrollIntoView({block:'center'});el.classList.add('flash');setTimeout(function(){el.classList.remove('flash')},1500);}
function step(dir){
 var r=fRule.value,scope='details.doc:not([hidden]) ',q=scope+'del.rm:not(.layout)';
 if(r){var a='[data-rule="'+CSS.escape(r)+'"]';q=scope+'del'+a+','+scope+'ins'+a;}
 var all=document.querySelectorAll(q);
 if(!all.length)return;cursor=(cursor+dir+all.length)%all.length;reveal(all[cursor]);
 document.getElementById('pos').textContent=(cursor+1)+'/'+all.length;}
[fRule,fSite].forEach(function(e){e.addEventListener('change',apply)});
fText.addEventListener('input',apply);
document.getElementById('f-layout').addEventListener('change',function(e){document.body.classList.toggle('layout',e.target.checked)});
document.getElementById('f-labels').addEventListener('change',function(e){document.body.classList.toggle('labels',e.target.checked)});
document.getElementById('next').addEventListener('click',function(){step(1)});
document.getElementById('prev').addEventListener('click',function(){step(-1)});
document.getElementById('open-all').addEventListener('click',function(){docs.forEach(function(d){if(!d.hidden)d.open=true})});
document.getElementById('close-all').addEventListener('click',function(){docs.forEach(function(d){d.open=false})});
window.addEventListener('hashchange',fromHash);
if(!location.hash&&document.body.dataset.initialRule){setSelect(fRule,document.body.dataset.initialRule);apply();}
else fromHash();
})();
"""


def _attr(value: str) -> str:
    return escape(value, quote=True)


def render_segments(segments: list[Segment], fp: FilePreview, first_ids: dict[str, str]) -> str:
    """The source of one document as HTML, removals and insertions marked."""
    changes = fp.changes
    out: list[str] = []
    labelled: set[int] = set()
    for s in segments:
        text = s.text
        if s.kind == "kept":
            out.append(escape(text, quote=False))
        else:
            c = changes[s.change]
            cls = ["rm" if s.kind == "removed" else "add"]
            if c.category == LAYOUT:
                cls.append("layout")
            if "\n" in text and not text.strip():
                cls.append("nl")  # a join, a split or blank lines: shown as ⏎ / ↵
            elif s.change not in labelled and c.action in WHOLE_LINE_ACTIONS:
                cls.append("lbl")  # whole lines: labelled once; fragments on hover
            labelled.add(s.change)
            anchor = ""
            if c.rule in first_ids and c.category != LAYOUT:
                anchor = f' id="{first_ids.pop(c.rule)}"'
            tag = "del" if s.kind == "removed" else "ins"
            out.append(f'<{tag} class="{" ".join(cls)}" data-rule="{_attr(c.rule)}" '
                       f'data-category="{_attr(c.category)}"{anchor}>{escape(text, quote=False)}'
                       f"</{tag}>")
    return "".join(out)


def _document(fp: FilePreview, index: int, first_ids: dict[str, str]) -> str:
    r = fp.result
    sites = r.sites if r else []
    rules_hit = sorted({c.rule for c in fp.changes})
    head = [f'<span class="path">{escape(fp.path)}</span>']
    if r is None:
        head.append(f'<span class="badge err">{escape(fp.status)}: {escape(fp.error or "")}</span>')
    else:
        head.append(f'<span class="muted">· {escape(", ".join(sites) or "no site")}</span>')
        cats = Counter(c.category for c in fp.changes if c.category != LAYOUT)
        if cats:
            parts = " ".join(f'<span class="badge" style="background:{CATEGORY_COLOURS.get(k, "#eee")}">'
                             f"{escape(k)} {v}</span>" for k, v in sorted(cats.items()))
            head.append(parts)
        for w in r.warnings:
            head.append(f'<span class="badge warn">{escape(w.code)}</span>')
    attrs = (f'class="doc" id="doc-{index}" data-path="{_attr(fp.path)}" '
             f'data-sites="{_attr(" ".join(sites) or "-")}" data-rules="{_attr(" ".join(rules_hit))}"')
    body = ""
    if r is not None:
        facts = [f"encoding {escape(r.encoding)} (confidence {r.confidence:.2f})"]
        if r.converted:
            facts.append("converted to Simplified")
        facts.append(f"{len(fp.changes)} changes")
        facts += [escape(note) for note in r.notes]
        facts += [escape(f"{w.code}: {w.message}") for w in r.warnings]
        body = (f'<div class="info">{" · ".join(facts)}</div>'
                f'<pre class="text">{render_segments(fp.segments, fp, first_ids)}</pre>')
    return f"<details {attrs}><summary>{' '.join(head)}</summary>{body}</details>"


def _rule_rows(rows: list[dict], first_ids: dict[str, str]) -> str:
    out = []
    for row in rows:
        rule = row["rule"]
        colour = CATEGORY_COLOURS.get(row["category"], "#eee")
        first = f'<a href="#{first_ids[rule]}">first</a>' if rule in first_ids else ""
        link = (f'<a class="rule-link" href="#rule={_attr(quote(rule, safe="/"))}">{escape(rule)}</a>'
                if row["hits"] else escape(rule))
        out.append(
            f'<tr data-rule="{_attr(rule)}"{" class=dead" if not row["hits"] else ""}>'
            f"<td>{link}</td><td>{escape(row['set'])}</td>"
            f'<td><span class="sw" style="background:{colour}"></span>{escape(row["category"])}</td>'
            f"<td>{escape(row['action'])}</td><td class=n>{row['files']}</td>"
            f"<td class=n>{row['hits']}</td><td class=n>{row['lines']}</td>"
            f"<td class=n>{row['chars']}</td><td>{first}</td></tr>"
        )
    return "".join(out)


def _summary(previews: list[FilePreview], rows: list[dict]) -> str:
    failed = [fp for fp in previews if fp.result is None]
    warned = [fp for fp in previews if fp.result and fp.result.warnings]
    shown = [r for r in rows if r["category"] != LAYOUT]
    stats = [
        ("documents", len(previews)), ("failed", len(failed)),
        ("changes", sum(r["hits"] for r in shown)), ("lines removed", sum(r["lines"] for r in shown)),
        ("characters removed", sum(r["chars"] for r in shown)),
        ("rules never fired", sum(1 for r in rows if not r["hits"])),
    ]  # fmt: skip
    html = ['<div class="stats">'] + [f"<div><b>{v:,}</b>{k}</div>" for k, v in stats] + ["</div>"]
    by_cat: Counter = Counter()
    for r in shown:
        by_cat[r["category"]] += r["lines"]
    if by_cat:
        html.append("<p>Lines removed by category: " + " ".join(
            f'<span class="badge" style="background:{CATEGORY_COLOURS.get(k, "#eee")}">{escape(k)} {v}</span>'
            for k, v in sorted(by_cat.items(), key=lambda t: -t[1]) if v) + "</p>")
    index = {id(fp): i for i, fp in enumerate(previews)}
    for label, group in (("Failed", failed), ("With warnings", warned)):
        if group:
            links = ", ".join(f'<a href="#doc-{index[id(fp)]}">{escape(fp.path)}</a>' for fp in group)
            html.append(f"<p>{label}: {links}</p>")
    return "".join(html)


def render_html(pipeline: Pipeline, previews: list[FilePreview],
                initial_rule: str | None = None) -> str:
    """The review page for ``previews`` as one HTML string."""
    rows = rule_table(pipeline, previews)
    hit_rules = [r["rule"] for r in rows if r["hits"] and r["category"] != LAYOUT]
    first_ids = {rule: f"first-{i}" for i, rule in enumerate(hit_rules)}
    unplaced = dict(first_ids)  # render_segments pops the anchors it places
    docs = "".join(_document(fp, i, unplaced) for i, fp in enumerate(previews))
    table_ids = {rule: anchor for rule, anchor in first_ids.items() if rule not in unplaced}
    sites = sorted({s for fp in previews if fp.result for s in fp.result.sites})
    rule_opts = "".join(f'<option value="{_attr(r)}">{escape(r)}</option>' for r in hit_rules)
    site_opts = "".join(f'<option value="{_attr(s)}">{escape(s)}</option>' for s in sites)
    provenance = escape(json.dumps(pipeline.provenance(), ensure_ascii=False))
    title = f"speechclean preview — {len(previews)} document{'s' if len(previews) != 1 else ''}"
    initial = f' data-initial-rule="{_attr(initial_rule)}"' if initial_rule else ""
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{escape(title)}</title><style>{CSS}</style><style id="dim-style"></style></head>
<body{initial}>
<header><h1>{escape(title)}</h1>
<p class="meta">speechclean {escape(__version__)} · {provenance}</p></header>
<section id="summary"><h2>Summary</h2>{_summary(previews, rows)}</section>
<section id="rules"><h2>Hits per rule</h2>
<p class="muted">Every loaded rule and reflow fix; click a rule to show only the documents it
hit (then step through its occurrences with ◂ ▸), or <i>first</i> to jump to its first one.</p>
<table id="rule-table"><thead><tr><th>rule</th><th>set</th><th>category</th><th>action</th>
<th class=n>files</th><th class=n>hits</th><th class=n>lines</th><th class=n>chars</th><th></th>
</tr></thead><tbody>{_rule_rows(rows, table_ids)}</tbody></table></section>
<section id="documents"><h2>Documents</h2>
<div id="filters">
<label>Rule <select id="f-rule"><option value="">any rule</option>{rule_opts}</select></label>
<label>Site <select id="f-site"><option value="">any site</option>{site_opts}<option value="-">(no site)</option></select></label>
<label>File <input id="f-text" type="search" placeholder="path contains…"></label>
<label><input type="checkbox" id="f-layout"> layout changes</label>
<label><input type="checkbox" id="f-labels"> label every span</label>
<span><button id="prev" type="button">◂</button> <button id="next" type="button">▸</button>
<span id="pos" class="muted"></span></span>
<button id="open-all" type="button">open shown</button>
<button id="close-all" type="button">close all</button>
<span id="count" class="muted">{len(previews)} of {len(previews)} documents</span>
</div>
{docs}
</section>
<script>{JS}</script>
</body></html>
"""
