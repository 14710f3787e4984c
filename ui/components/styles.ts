// Shared component styles: system fonts only, visible focus rings, AA contrast on white.
import { css } from "lit";

export const base = css`
  :host {
    font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
    color: #0f172a;
    font-size: 14px;
    line-height: 1.45;
  }
  a { color: #1d4ed8; }
  h1 { font-size: 20px; margin: 0 0 12px; }
  h2 { font-size: 16px; margin: 16px 0 8px; }
  button, select, input {
    font: inherit;
    color: inherit;
    border: 1px solid #8393a7;
    border-radius: 6px;
    padding: 6px 10px;
    background: #fff;
  }
  button { cursor: pointer; }
  button.primary { background: #1d4ed8; border-color: #1d4ed8; color: #fff; font-weight: 600; }
  button.danger { background: #b91c1c; border-color: #b91c1c; color: #fff; font-weight: 600; }
  button:disabled { opacity: 0.6; cursor: default; }
  :is(a, button, select, input, canvas, [tabindex]):focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
  label { display: inline-flex; flex-direction: column; gap: 4px; font-weight: 600; font-size: 13px; }
  table { border-collapse: collapse; width: 100%; background: #fff; }
  th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid #e2e8f0; vertical-align: top; }
  thead th { font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; color: #475467; }
  code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
  pre { background: #0f172a; color: #e2e8f0; padding: 12px; border-radius: 6px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
  .muted { color: #475467; }
  .error { color: #b91c1c; font-weight: 600; }
  .card { background: #fff; border: 1px solid #d5dce6; border-radius: 8px; padding: 16px; }
  .empty { background: #fff; border: 1px dashed #8393a7; border-radius: 8px; padding: 20px; max-width: 760px; }
  .status { display: inline-flex; align-items: center; gap: 6px; font-weight: 600; }
  .status::before { content: ""; width: 9px; height: 9px; border-radius: 50%; background: var(--dot, #64748b); }
  .status.healthy { --dot: #15803d; }
  .status.degraded { --dot: #b45309; }
  .status.no_telemetry { --dot: #64748b; }
  .status.agent_offline { --dot: #b91c1c; }
  .visually-hidden {
    position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px;
    overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
  }
`;
