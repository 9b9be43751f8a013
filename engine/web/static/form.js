"use strict";
// The plan form, built from the description the server derives from the plan's models.
// Every control has get() (the value for the plan, or undefined when left empty) and set(value).

const PlanForm = (() => {
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  function fieldLabel(node) {
    const label = el("span", { class: "label", text: node.title || "" });
    if (node.required) label.append(el("span", { class: "req", title: "必须填写", text: " *" }));
    return label;
  }

  function help(node) {
    return node.description ? el("small", { class: "help", text: node.description }) : null;
  }

  const isEmpty = (value) => value === undefined || value === null || value === "";
  // A value that says nothing: nothing, an empty list, or a mapping of such values.
  const isBlank = (value) => value === undefined || (Array.isArray(value) && value.length === 0)
    || (typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).every(isBlank));

  function build(node) {
    const builders = { text: textControl, number: numberControl, date: dateControl, choice: choiceControl,
      check: checkControl, group: groupControl, list: listControl, variants: variantsControl };
    return builders[node.widget](node);
  }

  function wrapField(node, control, input) {
    const wrapper = el("div", { class: "field", "data-key": node.name },
      el("label", {}, fieldLabel(node), input), help(node), el("div", { class: "messages" }));
    control.element = wrapper;
    return control;
  }

  function textControl(node) {
    const input = node.long
      ? el("textarea", { rows: node.placeholder ? 4 : 3, placeholder: node.placeholder })
      : el("input", { type: "text", placeholder: node.default });
    const control = {
      get: () => (input.value.trim() === "" ? undefined : input.value),
      set: (value) => { input.value = isEmpty(value) ? "" : (typeof value === "object" ? JSON.stringify(value) : String(value)); },
    };
    return wrapField(node, control, input);
  }

  function numberControl(node) {
    const input = el("input", { type: "text", inputmode: node.integer ? "numeric" : "decimal",
      placeholder: node.default === undefined ? "" : String(node.default) });
    const control = {
      get() {
        const text = input.value.trim();
        if (text === "") return undefined;
        return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
      },
      set: (value) => { input.value = isEmpty(value) ? "" : String(value); },
    };
    return wrapField(node, control, input);
  }

  function dateControl(node) {
    const input = el("input", { type: "date" });
    const control = {
      get: () => input.value || undefined,
      set: (value) => { input.value = typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : ""; },
    };
    return wrapField(node, control, input);
  }

  function choiceControl(node) {
    const select = el("select", {}, el("option", { value: "", text: "（请选择）" }));
    for (const option of node.options) select.append(el("option", { value: option.value, text: option.label }));
    const control = {
      get: () => select.value || undefined,
      set(value) {
        const known = node.options.some((o) => o.value === value);
        select.value = known ? value : (node.default !== undefined ? node.default : "");
      },
    };
    return wrapField(node, control, select);
  }

  function checkControl(node) {
    const input = el("input", { type: "checkbox" });
    const control = {
      get: () => input.checked,
      set: (value) => { input.checked = value === undefined ? node.default !== false : Boolean(value); },
    };
    return wrapField(node, control, input);
  }

  function groupBody(node, container) {
    const children = node.fields.map((field) => {
      const child = build(field);
      child.defaultValue = field.default;
      return [field.name, child];
    });
    for (const [, child] of children) container.append(child.element);
    let extra = {};
    return {
      get() {
        const value = { ...extra };
        for (const [name, child] of children) {
          const childValue = child.get();
          if (childValue !== undefined) value[name] = childValue;
        }
        return value;
      },
      set(value) {
        let data = value;
        if (node.listKey && Array.isArray(data)) data = { [node.listKey]: data };
        data = data && typeof data === "object" && !Array.isArray(data) ? data : {};
        extra = {};
        const names = new Set(children.map(([name]) => name));
        for (const [key, item] of Object.entries(data)) if (!names.has(key)) extra[key] = item;
        for (const [name, child] of children) child.set(data[name] === undefined ? child.defaultValue : data[name]);
      },
    };
  }

  function groupControl(node) {
    const body = el("div", { class: "group-body" });
    const fieldset = el("fieldset", { class: "group", "data-key": node.name },
      node.title ? el("legend", {}, fieldLabel(node)) : null, help(node), el("div", { class: "messages" }), body);
    const inner = groupBody(node, body);
    return {
      element: fieldset,
      get() {
        const value = inner.get();
        return isBlank(value) && !node.required ? undefined : value;
      },
      set: inner.set,
    };
  }

  function listControl(node) {
    const items = el("div", { class: "items" });
    const add = el("button", { type: "button", class: "add", text: `＋ 添加${node.title || ""}` });
    const wrapper = el("div", { class: "list", "data-key": node.name },
      el("div", { class: "list-head" }, fieldLabel(node)), help(node), el("div", { class: "messages" }), items, add);
    const controls = [];

    function changed() {
      controls.forEach((control, index) => {
        control.element.dataset.index = String(index);
        control.element.querySelector(".item-number").textContent = `第 ${index + 1} 项`;
      });
      wrapper.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function addItem(value) {
      const inner = build({ ...node.item, name: undefined, title: "", description: "" });
      const up = el("button", { type: "button", class: "move-up", title: "上移", text: "↑" });
      const down = el("button", { type: "button", class: "move-down", title: "下移", text: "↓" });
      const remove = el("button", { type: "button", class: "remove", title: "删除这一项", text: "✕ 删除" });
      const item = el("div", { class: "item" },
        el("div", { class: "item-head" }, el("span", { class: "item-number" }), up, down, remove),
        el("div", { class: "messages" }), inner.element);
      inner.element.removeAttribute("data-key");
      const control = { element: item, get: inner.get, set: inner.set };
      up.addEventListener("click", () => move(control, -1));
      down.addEventListener("click", () => move(control, 1));
      remove.addEventListener("click", () => {
        controls.splice(controls.indexOf(control), 1);
        item.remove();
        changed();
      });
      controls.push(control);
      items.append(item);
      control.set(value);
      return control;
    }

    function move(control, step) {
      const index = controls.indexOf(control);
      const target = index + step;
      if (target < 0 || target >= controls.length) return;
      controls.splice(index, 1);
      controls.splice(target, 0, control);
      if (step < 0) items.insertBefore(control.element, controls[target + 1].element);
      else items.insertBefore(control.element, controls[target - 1].element.nextSibling);
      changed();
    }

    add.addEventListener("click", () => {
      const control = addItem(undefined);
      changed();
      const first = control.element.querySelector("input, textarea, select");
      if (first) first.focus();
    });

    return {
      element: wrapper,
      get() {
        const values = controls.map((control) => control.get());
        const kept = node.item.widget === "group" ? values.map((v) => (v === undefined ? {} : v)) : values.filter((v) => v !== undefined);
        return kept.length === 0 && !node.required ? (node.default !== undefined ? [] : undefined) : kept;
      },
      set(value) {
        controls.splice(0).forEach((control) => control.element.remove());
        const list = Array.isArray(value) ? value : [];
        const count = Math.max(list.length, node.minItems || 0);
        for (let index = 0; index < count; index += 1) addItem(list[index]);
        changed();
      },
    };
  }

  function variantsControl(node) {
    const kinds = Object.keys(node.variants);
    const keyField = node.variants[kinds[0]].fields.find((f) => f.name === node.key);
    const select = el("select", {});
    for (const kind of kinds) select.append(el("option", { value: kind, text: node.variants[kind].label }));
    const keyWrapper = el("div", { class: "field", "data-key": node.key },
      el("label", {}, fieldLabel(keyField), select), help(keyField), el("div", { class: "messages" }));
    const body = el("div", { class: "group-body" });
    const fieldset = el("fieldset", { class: "group", "data-key": node.name },
      el("legend", {}, fieldLabel(node)), help(node), el("div", { class: "messages" }), keyWrapper, body);
    let inner = null;

    function show(kind, value) {
      body.replaceChildren();
      const variant = node.variants[kind];
      inner = groupBody({ ...variant, fields: variant.fields.filter((f) => f.name !== node.key) }, body);
      inner.set(value);
    }

    select.addEventListener("change", () => {
      // Keep what both kinds of client have (name, background); drop what only the old kind had.
      const known = new Set(node.variants[select.value].fields.map((f) => f.name));
      const kept = Object.fromEntries(Object.entries(inner ? inner.get() : {}).filter(([key]) => known.has(key)));
      show(select.value, kept);
      fieldset.dispatchEvent(new Event("change", { bubbles: true }));
    });
    return {
      element: fieldset,
      get: () => ({ [node.key]: select.value, ...(inner ? inner.get() : {}) }),
      set(value) {
        const data = value && typeof value === "object" ? { ...value } : {};
        const kind = kinds.includes(data[node.key]) ? data[node.key] : kinds[0];
        delete data[node.key];
        select.value = kind;
        show(kind, data);
      },
    };
  }

  // The whole form: one section per page group, a navigation list, and the fixed keys.
  function create(description, form, nav) {
    const controls = [];
    description.groups.forEach((group, number) => {
      const section = el("section", { class: "group-section panel", id: `group-${number + 1}` },
        el("h2", { text: `${number + 1}. ${group.title}` }));
      for (const field of group.fields) {
        const control = build(field);
        control.defaultValue = field.default;
        controls.push([field.name, control]);
        section.append(control.element);
      }
      form.append(section);
      nav.append(el("a", { href: `#group-${number + 1}`, text: group.title }));
    });
    const topNames = new Set(controls.map(([name]) => name));
    let extra = {};
    return {
      get() {
        const plan = { ...description.fixed, ...extra };
        for (const [name, control] of controls) {
          const value = control.get();
          if (value !== undefined) plan[name] = value;
        }
        return plan;
      },
      set(plan) {
        const data = plan && typeof plan === "object" ? plan : {};
        extra = {};
        for (const [key, value] of Object.entries(data)) if (!topNames.has(key) && !(key in description.fixed)) extra[key] = value;
        for (const [name, control] of controls) control.set(data[name] === undefined ? control.defaultValue : data[name]);
      },
    };
  }

  return { create };
})();
