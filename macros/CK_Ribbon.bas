Attribute VB_Name = "CK_Ribbon"
' complaint_kit ribbon callbacks. No business logic here: every button of the
' "complaint kit" tab hands its id to Python through the official xlwings add-in
' (RunPython), and complaint_kit.addin.dispatch does the rest.
' Plain ASCII on purpose: VBA source is stored in the machine's code page.
Option Explicit

Private ckRibbon As IRibbonUI

Public Sub CK_OnLoad(ribbon As IRibbonUI)
    Set ckRibbon = ribbon
End Sub

Public Sub CK_OnAction(control As IRibbonControl)
    On Error GoTo NoXlwings
    Application.Run "xlwings.xlam!Main.RunPython", _
        "import complaint_kit.addin as ck; ck.dispatch('" & control.Id & "')"
    Exit Sub
NoXlwings:
    MsgBox "The xlwings add-in is not available (" & Err.Description & ")." & vbCrLf & _
        "Ask your administrator to run: complaint-kit addin install", vbExclamation, "complaint_kit"
End Sub
