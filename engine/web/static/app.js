"use strict";
// The page around the form: live validation and figures, draft in browser storage,
// downloads, upload, starters and page preview. The server keeps nothing between requests.

(() => {
  const DRAFT_KEY = "plandoc-draft-v1";
  const $ = (selector) => document.querySelector(selector);
  const formElement = $("#plan-form");
  const notice = $("#notice");
  let form = null;
  let validationNumber = 0;
  let lastValidation = null;
  let validateTimer = null;
  let previewTimer = null;

  function text(tag, content, className) {
    const node = document.createElement(tag);
    node.textContent = content;
    if (className) node.className = className;
    return node;
  }

  function say(message, kind) {
    notice.hidden = !message;
    notice.className = `notice ${kind || ""}`;
    notice.replaceChildren();
    if (message) notice.append(message instanceof Node ? message : text("span", message));
  }

  // -- paths: each wrapper's place in the plan, as the validator writes it (visits[0].date)
  function pathOf(wrapper) {
    let path = "";
    for (let node = wrapper; node && node !== formElement; node = node.parentElement) {
      const joint = path && !path.startsWith("[") ? "." : "";
      if (node.dataset.index !== undefined) path = `[${node.dataset.index}]${joint}${path}`;
      else if (node.dataset.key) path = `${node.dataset.key}${joint}${path}`;
    }
    return path;
  }

  function wrappersByPath() {
    const map = new Map();
    for (const wrapper of formElement.querySelectorAll("[data-key], [data-index]")) {
      const path = pathOf(wrapper);
      wrapper.dataset.path = path;
      if (!map.has(path)) map.set(path, wrapper);
    }
    return map;
  }

  function nearestWrapper(map, path) {
    for (let current = path; current; current = current.replace(/(\[\d+\]|\.?[^.[\]]+)$/, "")) {
      if (map.has(current)) return map.get(current);
    }
    return null;
  }

  // -- validation and figures
  async function post(url, body) {
    return fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  }

  function scheduleValidation(delay) {
    clearTimeout(validateTimer);
    validateTimer = setTimeout(validate, delay);
  }

  async function validate() {
    const number = ++validationNumber;
    const plan = form.get();
    localStorage.setItem(DRAFT_KEY, JSON.stringify(plan));
    let result;
    try {
      const response = await post("/api/validate", { plan });
      result = await response.json();
      if (!response.ok) throw new Error(result.message || response.statusText);
    } catch (error) {
      if (number === validationNumber) $("#status").textContent = `无法检查：${error.message}`;
      return;
    }
    if (number !== validationNumber) return;
    lastValidation = result;
    showDiagnostics(result.diagnostics, result.ok);
    showFigures(result.figures);
    if (result.ok && $("#preview-auto").checked) {
      clearTimeout(previewTimer);
      previewTimer = setTimeout(preview, 1500);
    }
  }

  function showDiagnostics(diagnostics, ok) {
    const map = wrappersByPath();
    for (const box of formElement.querySelectorAll(".messages")) box.replaceChildren();
    for (const wrapper of formElement.querySelectorAll(".has-error, .has-warning")) wrapper.classList.remove("has-error", "has-warning");
    const list = $("#problem-list");
    list.replaceChildren();
    for (const diagnostic of diagnostics) {
      const wrapper = nearestWrapper(map, diagnostic.path);
      const severity = diagnostic.severity === "warning" ? "warning" : "error";
      const line = text("p", diagnostic.message, `message ${severity}`);
      line.title = diagnostic.english;
      line.dataset.path = diagnostic.path;
      if (wrapper) {
        wrapper.querySelector(":scope > .messages").append(line);
        wrapper.classList.add(`has-${severity}`);
      }
      const label = wrapper ? wrapper.querySelector(".label") : null;
      const item = text("li", `${label ? `「${label.firstChild.textContent}」` : diagnostic.path} ${diagnostic.message}`, severity);
      item.title = diagnostic.english;
      if (wrapper) item.addEventListener("click", () => {
        wrapper.scrollIntoView({ block: "center" });
        const input = wrapper.querySelector("input, select, textarea");
        if (input) input.focus();
      });
      list.append(item);
    }
    const errors = diagnostics.filter((d) => d.severity !== "warning").length;
    const warnings = diagnostics.length - errors;
    $("#status").textContent = ok
      ? (warnings ? `方案可以生成，但有 ${warnings} 个提醒。` : "✔ 方案完整，可以生成。")
      : `还有 ${errors} 个错误${warnings ? `、${warnings} 个提醒` : ""}需要处理。`;
    $("#status").className = `status ${ok ? "ok" : "bad"}`;
  }

  function derivedBox(map, path, id) {
    const wrapper = map.get(path);
    if (!wrapper) return null;
    let box = wrapper.querySelector(`:scope > .derived[data-derived="${id}"]`);
    if (!box) {
      box = document.createElement("div");
      box.className = "derived";
      box.dataset.derived = id;
      wrapper.querySelector(":scope > .messages").after(box);
    }
    box.replaceChildren();
    return box;
  }

  function showFigures(figures) {
    const map = wrappersByPath();
    for (const [key, composition] of Object.entries(figures.composition)) {
      const box = derivedBox(map, `composition.${key}`, key);
      if (!box) continue;
      box.append(text("strong", `${composition.heading}占比（自动计算）：`));
      if (!composition.shares.length) box.append(text("span", "填写类别和金额后显示", "muted"));
      for (const share of composition.shares) box.append(text("span", `${share.label} ${share.percent}`, "share"));
      if (composition.total !== null) box.append(text("span", `合计 ${composition.total}`, "share total"));
    }
    const evaluation = figures.evaluation;
    for (const [index, grade] of Object.entries(evaluation.grades)) {
      const item = map.get(`evaluation.indicators[${index}]`);
      if (!item) continue;
      let badge = item.querySelector(":scope > .item-head > .grade");
      if (!badge) {
        badge = text("span", "", "grade");
        item.querySelector(":scope > .item-head").append(badge);
      }
      badge.textContent = `客户等级 ${grade}`;
    }
    const box = derivedBox(map, "evaluation", "evaluation");
    if (!box) return;
    const weight = text("span", `合计权重 ${evaluation.total_weight}`, evaluation.weights_complete ? "share" : "share bad");
    weight.id = "total-weight";
    const score = text("span", evaluation.final_score, "score");
    score.id = "final-score";
    const choices = document.createElement("span");
    choices.id = "recommendation";
    for (const choice of evaluation.choices) {
      const option = text("span", `${choice.ticked ? "☑" : "□"}${choice.option}`, choice.ticked ? "choice ticked" : "choice");
      option.dataset.option = choice.option;
      choices.append(option);
    }
    box.append(text("strong", "评估结果（自动计算）："), weight, text("span", "最终得分 "), score, text("span", " 建议 "), choices);
  }

  // -- downloads, preview: LibreOffice may be busy; the server then says 请稍候 and we retry
  async function postWithPatience(url, plan, status) {
    for (let attempt = 1; ; attempt += 1) {
      const response = await post(url, { plan });
      if (response.status !== 503 || attempt >= 10) return response;
      const body = await response.json().catch(() => ({}));
      status(`请稍候：${(body.message || "").replace(/^请稍候：/, "") || "服务器正忙"}（第 ${attempt} 次排队）`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }

  async function failure(response) {
    const body = await response.json().catch(() => ({ message: response.statusText }));
    if (body.diagnostics) showDiagnostics(body.diagnostics, false);
    return body.message || `出错了（${response.status}）`;
  }

  function fileName(response, fallback) {
    const header = response.headers.get("content-disposition") || "";
    const match = /filename\*=UTF-8''([^;]+)/.exec(header);
    return match ? decodeURIComponent(match[1]) : fallback;
  }

  async function download(kind) {
    const url = kind === "yaml" ? "/api/plan.yaml" : `/api/document.${kind}`;
    say(`请稍候：正在生成 .${kind} 文件…`, "busy");
    const response = await postWithPatience(url, form.get(), (message) => say(message, "busy"));
    if (!response.ok) {
      say(await failure(response), "bad");
      return;
    }
    const link = document.createElement("a");
    link.href = URL.createObjectURL(await response.blob());
    link.download = fileName(response, `plan.${kind}`);
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    say(`已生成 ${link.download}`, "ok");
  }

  async function preview() {
    const status = (message) => { $("#preview-status").textContent = message; };
    status("请稍候：正在排版预览（LibreOffice）…");
    $("#preview-button").disabled = true;
    try {
      const response = await postWithPatience("/api/preview", form.get(), status);
      if (!response.ok) {
        status(await failure(response));
        return;
      }
      const result = await response.json();
      const pages = $("#preview-pages");
      pages.replaceChildren(...result.images.map((source, index) => {
        const image = document.createElement("img");
        image.src = source;
        image.alt = `第 ${index + 1} 页`;
        return image;
      }));
      $("#page-count").textContent = `共 ${result.pages} 页`;
      status(`已更新（${new Date().toLocaleTimeString()}）`);
    } catch (error) {
      status(`预览失败：${error.message}`);
    } finally {
      $("#preview-button").disabled = false;
    }
  }

  // -- starting points: a starter, an uploaded file, an empty form, or the saved draft
  function start(plan, message) {
    form.set(plan);
    wrappersByPath();
    say(message, "ok");
    scheduleValidation(0);
  }

  async function starter(kind) {
    const response = await fetch(`/api/starter/${kind}`);
    const body = await response.json();
    if (response.ok) start(body.plan, `已载入${kind === "person" ? "个人" : "企业"}客户起始方案：把“示例”内容换成你自己的客户。`);
    else say(body.message, "bad");
  }

  async function sample(name, label) {
    const response = await fetch(`/api/sample/${encodeURIComponent(name)}`);
    const body = await response.json();
    if (response.ok) start(body.plan, `已载入示例方案「${label}」：这是一份完整的方案，可对照学习，再改成你自己的客户。`);
    else say(body.message, "bad");
  }

  async function upload(file, key) {
    const data = new FormData();
    data.append("file", file);
    if (key) data.append("plan", key);
    const response = await fetch("/api/load", { method: "POST", body: data });
    const body = await response.json().catch(() => ({ message: response.statusText }));
    if (!response.ok) {
      const list = document.createElement("div");
      list.append(text("p", `${file.name}：${body.message}`));
      for (const d of body.diagnostics || []) {
        list.append(text("p", `${d.where ?? `第 ${d.line ?? "?"} 行`}：${d.message}（${d.english}）`));
      }
      say(list, "bad");
      return;
    }
    if (body.choices) {
      chooseWorkbookPlan(file, body.choices);
      return;
    }
    const problems = body.diagnostics.length ? `，文件中有 ${body.diagnostics.length} 个问题，已在表单中标出` : "";
    const which = body.key ? `（方案编号 ${body.key}）` : "";
    start(body.plan, `已载入 ${file.name}${which}${problems}。`);
    for (const d of body.diagnostics.filter((d) => d.where)) {
      notice.append(text("p", `${d.where}：${d.message}（${d.english}）`));
    }
  }

  function chooseWorkbookPlan(file, choices) {
    const box = document.createElement("div");
    box.append(text("p", `${file.name} 中有 ${choices.length} 个方案，请选择一个载入：`));
    const buttons = document.createElement("div");
    buttons.className = "buttons workbook-choices";
    for (const choice of choices) {
      const button = text("button", `${choice.key} ${choice.client}`);
      button.type = "button";
      button.dataset.planKey = choice.key;
      button.addEventListener("click", () => upload(file, choice.key));
      buttons.append(button);
    }
    box.append(buttons);
    say(box, "busy");
  }

  async function main() {
    const description = await (await fetch("/api/form")).json();
    form = PlanForm.create(description, formElement, $("#group-nav"));
    const draft = localStorage.getItem(DRAFT_KEY);
    let restored = null;
    try { restored = draft ? JSON.parse(draft) : null; } catch { restored = null; }
    start(restored || {}, restored ? "已恢复上次的草稿（保存在本浏览器中）。" : "");
    formElement.addEventListener("input", () => scheduleValidation(350));
    formElement.addEventListener("change", () => { wrappersByPath(); scheduleValidation(150); });
    formElement.addEventListener("focusout", () => scheduleValidation(0));
    $("#start-person").addEventListener("click", () => starter("person"));
    $("#start-company").addEventListener("click", () => starter("company"));
    $("#start-sample").addEventListener("click", () => {
      const choice = $("#sample-choice");
      sample(choice.value, choice.selectedOptions[0].textContent);
    });
    $("#start-empty").addEventListener("click", () => { localStorage.removeItem(DRAFT_KEY); start({}, "已清空。"); });
    $("#upload-plan").addEventListener("change", (event) => {
      if (event.target.files.length) upload(event.target.files[0]);
      event.target.value = "";
    });
    for (const button of document.querySelectorAll("[data-download]")) {
      button.addEventListener("click", () => download(button.dataset.download));
    }
    $("#preview-button").addEventListener("click", preview);
    document.body.dataset.ready = "true";
  }

  window.addEventListener("DOMContentLoaded", main);
  window.planForm = () => form;
  window.lastValidation = () => lastValidation;
})();
