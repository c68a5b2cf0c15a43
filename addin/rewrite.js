/*
 * The shorter version put into the email in Outlook, in place: each edit of the verdict's `rewrite` (a range
 * of the verdict's text and its replacement) is found in the body as it is now and replaced there, so the
 * signature, the quoted history and the HTML formatting stay as they are.
 *
 * The service read the body through its own HTML-to-text conversion, so the verdict's offsets say nothing
 * about the HTML: each edited fragment is found by its text in the body's text nodes (runs of whitespace
 * compare as one space, a paragraph or line break counts as whitespace), the k-th occurrence of the fragment
 * in the verdict's text being the k-th in the body. When a fragment occurs a different number of times in
 * the body than in the checked text (the manager typed on after the check), or the edits would land out of
 * order, nothing is applied: never a half-applied body.
 *
 * A classic script without DOM use (the pane loads it beside taskpane.js; Node's tests load it alone).
 */
"use strict";

// Markup with no text of its own (comments, Outlook's conditional comments, <head>, <style>), and tags.
var MAIL_LINT_MARKUP = new RegExp(
  "<!--[\\s\\S]*?(?:-->|$)|<(head|style|script|title|xml)\\b[\\s\\S]*?(?:</\\1\\s*>|$)|<![^>]*>|<\\?[^>]*>" +
  "|</?([a-zA-Z][a-zA-Z0-9:-]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", "gi");
// Tags that end a line or a paragraph in the text the service read.
var MAIL_LINT_BREAKS = /^(address|article|aside|blockquote|br|dd|div|dl|dt|figcaption|figure|footer|h[1-6]|header|hr|li|main|ol|p|pre|section|table|tbody|td|tfoot|th|thead|tr|ul)$/i;
var MAIL_LINT_ENTITY = /&(#[xX][0-9a-fA-F]+|#[0-9]+|[a-zA-Z][a-zA-Z0-9]*);?/y;
var MAIL_LINT_NAMED = {
  amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'", nbsp: "\u00a0", laquo: "«", raquo: "»", ldquo: "“",
  rdquo: "”", bdquo: "„", lsquo: "‘", rsquo: "’", mdash: "—", ndash: "–", hellip: "…", copy: "©", reg: "®",
  trade: "™", bull: "•", middot: "·", euro: "€", numero: "№", deg: "°",
};

/** A code point offset (the verdict's, from Python) as an offset in a JavaScript (UTF-16) string. */
function mailLintUnits(text, points) {
  var i = 0;
  for (var n = 0; n < points && i < text.length; n++) {
    var c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
  }
  return i;
}

/** The body's text, each character with the [start, end) of the source it came from (null: a line break a tag made). */
function mailLintBodyText(body, isHtml) {
  var chars = [], at = [];
  var push = function (text, start, end) {
    for (var k = 0; k < text.length; k++) { chars.push(text[k]); at.push(start === null ? null : [start, end]); }
  };
  var addText = function (from, to) {
    for (var i = from; i < to;) {
      MAIL_LINT_ENTITY.lastIndex = i;
      var m = body[i] === "&" && isHtml ? MAIL_LINT_ENTITY.exec(body) : null;
      var decoded = m && mailLintEntity(m[1]);
      if (decoded !== null && decoded !== undefined && m.index + m[0].length <= to) {
        push(decoded, i, i + m[0].length);
        i += m[0].length;
      } else {
        push(body[i], i, i + 1);
        i += 1;
      }
    }
  };
  if (!isHtml) {
    addText(0, body.length);
  } else {
    var last = 0, tag;
    MAIL_LINT_MARKUP.lastIndex = 0;
    while ((tag = MAIL_LINT_MARKUP.exec(body)) !== null) {
      addText(last, tag.index);
      if (tag[2] && MAIL_LINT_BREAKS.test(tag[2])) push("\n", null);
      last = tag.index + tag[0].length;
    }
    addText(last, body.length);
  }
  return { text: chars.join(""), at: at };
}

function mailLintEntity(name) {
  if (name[0] !== "#") return Object.prototype.hasOwnProperty.call(MAIL_LINT_NAMED, name) ? MAIL_LINT_NAMED[name] : null;
  var code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : null;
}

/**
 * Whitespace runs squeezed to one space: the squeezed text, `start[j]` the raw index where squeezed character j
 * begins (start[length] = the raw length), and `of[i]` the squeezed character raw index i belongs to.
 */
function mailLintSqueeze(text) {
  var out = [], start = [], of = new Array(text.length);
  for (var i = 0; i < text.length; i++) {
    var space = /\s/.test(text[i]);
    if (!space || i === 0 || !/\s/.test(text[i - 1])) {  // else: the run's first character stands for it
      out.push(space ? " " : text[i]);
      start.push(i);
    }
    of[i] = out.length - 1;
  }
  start.push(text.length);
  return { text: out.join(""), start: start, of: of };
}

function mailLintOccurrences(haystack, needle) {
  var found = [];
  for (var i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) found.push(i);
  return found;
}

function mailLintEscapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * The source changes that replace body characters [r0, r1) with `replacement`: the replacement goes where the
 * first of them stood (or, for a pure insertion, right after the character before), the rest are deleted.
 */
function mailLintChanges(at, r0, r1, replacement) {
  var changes = [];
  for (var i = r0; i < r1; i++) {
    var src = at[i];
    if (!src) continue;
    var previous = changes[changes.length - 1];
    if (previous && src[0] <= previous.to) previous.to = Math.max(previous.to, src[1]);
    else changes.push({ from: src[0], to: src[1], text: "" });
  }
  if (!changes.length) {
    var point = null;
    for (var j = r0 - 1; j >= 0 && point === null; j--) if (at[j]) point = at[j][1];
    for (var k = r1; k < at.length && point === null; k++) if (at[k]) point = at[k][0];
    if (point === null) return null;
    changes.push({ from: point, to: point, text: "" });
  }
  changes[0].text = replacement;
  return changes;
}

/**
 * The body with the edits applied: {body} or, when an edit cannot be placed unambiguously, {unfound: the
 * fragment as the verdict has it} and nothing applied. `edits`: [{start, end, replacement}] in code points of
 * `verdictText`, sorted and non-overlapping (the verdict's `rewrite.edits`).
 */
function mailLintRewriteBody(body, isHtml, verdictText, edits) {
  var source = mailLintBodyText(body, isHtml);
  var inBody = mailLintSqueeze(source.text);
  var checked = mailLintSqueeze(verdictText);
  var changes = [];
  var sorted = edits.slice().sort(function (a, b) { return a.start - b.start; });
  for (var n = 0; n < sorted.length; n++) {
    var edit = sorted[n];
    var s = mailLintUnits(verdictText, edit.start), e = mailLintUnits(verdictText, edit.end);
    var fragment = verdictText.slice(s, e);
    // An insertion has no text to find: it is found with the word before it (or, at a line's start, after it).
    var a0 = s, a1 = e;
    if (a0 === a1) {
      while (a0 > 0 && /\S/.test(verdictText[a0 - 1])) a0--;
      if (a0 === s) while (a1 < verdictText.length && /\S/.test(verdictText[a1])) a1++;
      fragment = verdictText.slice(a0, a1);
    }
    if (a0 === a1) return { unfound: fragment };
    var n0 = checked.of[a0], n1 = checked.of[a1 - 1] + 1;
    var needle = checked.text.slice(n0, n1);
    var ns = s === a1 ? n1 : checked.of[s], ne = e === s ? ns : checked.of[e - 1] + 1;
    var inChecked = mailLintOccurrences(checked.text, needle);
    var found = mailLintOccurrences(inBody.text, needle);
    var k = inChecked.indexOf(n0);
    if (k < 0 || found.length !== inChecked.length) return { unfound: fragment };
    var p = found[k];
    var r0 = inBody.start[p + ns - n0], r1 = inBody.start[p + ne - n0];
    var replacement = isHtml ? mailLintEscapeHtml(edit.replacement || "") : edit.replacement || "";
    var these = mailLintChanges(source.at, r0, r1, replacement);
    var previous = changes[changes.length - 1];
    if (!these || (previous && these[0].from < previous.to)) return { unfound: fragment };
    changes = changes.concat(these);
  }
  var result = body;
  for (var c = changes.length - 1; c >= 0; c--) {
    result = result.slice(0, changes[c].from) + changes[c].text + result.slice(changes[c].to);
  }
  return { body: result };
}
