// handmath's page: send a photo to /api/recognize, draw the symbols read over it, show the LaTeX,
// its preview (drawn by /api/render) and the solution; a corrected symbol goes to /api/relabel.
"use strict";

// Every word on the page, in English (the default) and Dutch; the button in the header switches.
const TEXT = {
  en: {
    title: "Handwritten maths",
    intro: "Take a photo of one handwritten expression or equation, or choose a picture.",
    camera: "Take a photo",
    file: "Choose a file",
    reading: "Reading the handwriting…",
    rereading: "Reading it again…",
    failed: "That did not work: ",
    read: "What was read",
    hint: "Select a box to see what else that symbol might be.",
    symbol: "Symbol {label}, {percent}% sure",
    alternatives: "What else could “{label}” be?",
    close: "Close",
    copy: "Copy",
    copied: "Copied",
    copyFailed: "Select the LaTeX and copy it yourself",
    preview: "Preview",
    noPreview: "No preview for this LaTeX.",
    solution: "Solution",
    nothing: "There is nothing to solve.",
    equation: "Equation",
    inequality: "Inequality",
    system: "System of equations",
    expression: "Expression",
    error: "Cannot be solved",
    otherLanguage: "Nederlands",
  },
  nl: {
    title: "Handgeschreven wiskunde",
    intro: "Maak een foto van één handgeschreven uitdrukking of vergelijking, of kies een afbeelding.",
    camera: "Maak een foto",
    file: "Kies een bestand",
    reading: "Het handschrift wordt gelezen…",
    rereading: "Opnieuw aan het lezen…",
    failed: "Dat lukte niet: ",
    read: "Wat er gelezen is",
    hint: "Kies een vakje om te zien wat dat symbool nog meer kan zijn.",
    symbol: "Symbool {label}, {percent}% zeker",
    alternatives: "Wat kan „{label}” nog meer zijn?",
    close: "Sluiten",
    copy: "Kopiëren",
    copied: "Gekopieerd",
    copyFailed: "Selecteer de LaTeX en kopieer hem zelf",
    preview: "Voorbeeld",
    noPreview: "Geen voorbeeld voor deze LaTeX.",
    solution: "Oplossing",
    nothing: "Er valt niets op te lossen.",
    equation: "Vergelijking",
    inequality: "Ongelijkheid",
    system: "Stelsel van vergelijkingen",
    expression: "Uitdrukking",
    error: "Niet op te lossen",
    otherLanguage: "English",
  },
};
const LANGUAGE_KEY = "handmath.language";
const SURE = 0.9;       // boxes of symbols read with less confidence are orange,
const UNSURE = 0.6;     // and below this red, as in `handmath explain`

const $ = (id) => document.getElementById(id);

// What the page shows, so that a change of language or a correction can redraw it.
const state = {
  language: "en",
  symbols: [],
  image: { width: 1, height: 1 },
  latex: "",
  solution: null,
  selected: null,
  status: null,        // [key, detail, isError] of the status line
  photoUrl: null,
  request: 0,          // answers to older requests than this are dropped
};

function t(key, values = {}) {
  const text = TEXT[state.language][key] ?? TEXT.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name]));
}

// ---------------------------------------------------------------- talking to the service

async function api(path, options) {
  const response = await fetch(path, options);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(body.error || `HTTP ${response.status}`);
  }
  return body;
}

async function read(file) {
  const request = ++state.request;
  if (state.photoUrl) URL.revokeObjectURL(state.photoUrl);
  state.photoUrl = URL.createObjectURL(file);
  setStatus("reading");
  const form = new FormData();
  form.append("image", file);
  try {
    const found = await api("/api/recognize", { method: "POST", body: form });
    if (request !== state.request) return;
    $("photo").src = state.photoUrl;
    state.image = found.image;
    show(found);
    setStatus(null);
  } catch (err) {
    if (request === state.request) setStatus("failed", err.message, true);
  }
}

async function relabel(index, alternative) {
  const request = ++state.request;
  const symbols = state.symbols.map((symbol, i) =>
    i === index ? { ...symbol, label: alternative.label, probability: alternative.probability } : symbol);
  setStatus("rereading");
  try {
    const found = await api("/api/relabel", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ symbols }),
    });
    if (request !== state.request) return;
    closeAlternatives();
    show(found);
    setStatus(null);
    $("boxes").children[index]?.focus();
  } catch (err) {
    if (request === state.request) setStatus("failed", err.message, true);
  }
}

// ---------------------------------------------------------------- showing what was read

function show(found) {
  state.symbols = found.symbols;
  state.latex = found.latex;
  state.solution = found.solution;
  $("result").hidden = false;
  drawBoxes();
  showLatex();
  showSolution();
}

function drawBoxes() {
  const { width, height } = state.image;
  const percent = (value, whole) => `${(100 * value) / whole}%`;
  const boxes = state.symbols.map((symbol, index) => {
    const box = document.createElement("button");
    box.type = "button";
    box.className = "box" + (symbol.probability < UNSURE ? " doubtful" : symbol.probability < SURE ? " unsure" : "");
    Object.assign(box.style, {
      left: percent(symbol.bbox.x, width),
      top: percent(symbol.bbox.y, height),
      width: percent(symbol.bbox.w, width),
      height: percent(symbol.bbox.h, height),
    });
    box.setAttribute("aria-label", t("symbol", { label: symbol.latex, percent: Math.round(100 * symbol.probability) }));
    box.setAttribute("aria-pressed", String(index === state.selected));
    const label = document.createElement("span");
    label.textContent = symbol.latex;
    box.append(label);
    box.addEventListener("click", () => openAlternatives(index));
    return box;
  });
  $("boxes").replaceChildren(...boxes);
}

function openAlternatives(index) {
  state.selected = index;
  drawBoxes();
  const symbol = state.symbols[index];
  $("alternatives-title").textContent = t("alternatives", { label: symbol.latex });
  const choices = symbol.alternatives.map((alternative) => {
    const choice = document.createElement("button");
    choice.type = "button";
    choice.textContent = `${alternative.label}  ${Math.round(100 * alternative.probability)}%`;
    choice.dataset.label = alternative.label;
    choice.setAttribute("aria-pressed", String(alternative.label === symbol.label));
    choice.addEventListener("click", () => relabel(index, alternative));
    return choice;
  });
  $("choices").replaceChildren(...choices);
  $("alternatives").hidden = false;
  choices[0]?.focus();
}

function closeAlternatives() {
  const index = state.selected;
  state.selected = null;
  $("alternatives").hidden = true;
  drawBoxes();
  if (index !== null) $("boxes").children[index]?.focus();
}

function showLatex() {
  $("latex").textContent = state.latex;
  $("copy").textContent = t("copy");
  render($("preview"), state.latex, $("no-preview"));
}

function showSolution() {
  const solution = state.solution;
  const solved = solution && solution.kind !== "error";
  $("solution-kind").textContent = solution ? t(solution.kind) : "";
  $("solution-text").textContent = solution ? solution.text : t("nothing");
  $("solution-note").textContent = solution ? solution.message : "";
  render($("solution-preview"), solved ? solution.latex : "");
}

// Draws LaTeX with the service into an <img>; on failure hides it and shows `fallback`, if any.
function render(image, latex, fallback) {
  image.hidden = !latex;
  if (fallback) fallback.hidden = true;
  image.alt = latex;
  image.onerror = () => {
    image.hidden = true;
    if (fallback) fallback.hidden = false;
  };
  if (latex) image.src = "/api/render?latex=" + encodeURIComponent(latex);
  else image.removeAttribute("src");
}

function setStatus(key, detail = "", isError = false) {
  state.status = key ? [key, detail, isError] : null;
  $("status").textContent = key ? t(key) + detail : "";
  $("status").classList.toggle("error", isError);
}

async function copyLatex() {
  try {
    await navigator.clipboard.writeText(state.latex);
    $("copy").textContent = t("copied");
  } catch {
    // No clipboard outside secure contexts (plain http to another machine): select it instead.
    getSelection().selectAllChildren($("latex"));
    $("copy").textContent = t("copyFailed");
  }
}

// ---------------------------------------------------------------- language

function setLanguage(language) {
  state.language = language;
  try {
    localStorage.setItem(LANGUAGE_KEY, language);
  } catch {
    // storage may be off (private browsing); the choice then lasts this visit only
  }
  document.documentElement.lang = language;
  for (const element of document.querySelectorAll("[data-i18n]")) {
    element.textContent = t(element.dataset.i18n);
  }
  const other = language === "en" ? "nl" : "en";
  $("language").textContent = other.toUpperCase();
  $("language").lang = other;
  $("language").setAttribute("aria-label", t("otherLanguage"));
  if (state.status) setStatus(...state.status);
  if (!$("result").hidden) {
    drawBoxes();
    showSolution();
    if (state.selected !== null) {
      $("alternatives-title").textContent = t("alternatives", { label: state.symbols[state.selected].latex });
    }
  }
}

function storedLanguage() {
  try {
    return localStorage.getItem(LANGUAGE_KEY) === "nl" ? "nl" : "en";
  } catch {
    return "en";
  }
}

// ---------------------------------------------------------------- wiring

function start() {
  $("take").addEventListener("click", () => $("camera").click());
  $("choose").addEventListener("click", () => $("file").click());
  for (const input of [$("camera"), $("file")]) {
    input.addEventListener("change", () => {
      if (input.files[0]) read(input.files[0]);
      input.value = "";   // choosing the same file again is a new request
    });
  }
  $("copy").addEventListener("click", copyLatex);
  $("close").addEventListener("click", closeAlternatives);
  $("alternatives").addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeAlternatives();
  });
  $("language").addEventListener("click", () => setLanguage(state.language === "en" ? "nl" : "en"));

  const drop = $("drop");
  drop.addEventListener("dragover", (event) => {
    event.preventDefault();
    drop.classList.add("dragging");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("dragging"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("dragging");
    const file = event.dataTransfer.files[0];
    if (file) read(file);
  });

  setLanguage(storedLanguage());
}

start();
