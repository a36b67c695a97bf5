// Function file (FunctionFile in manifest.xml) for ribbon commands of type ExecuteFunction.
// The only ribbon button today opens the task pane (ShowTaskpane), so no function is associated yet;
// office.js must still be initialised here, hence Office.onReady.
// Later: Office.actions.associate('<action id>', handler) for one-click commands such as 重新计算.
if (typeof Office !== 'undefined') {
  Office.onReady(() => undefined).catch((error: unknown) => console.error('[dafen] commands: Office.onReady failed', error));
}
