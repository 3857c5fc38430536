Attribute VB_Name = "CK_Ribbon"
' complaint_kit ribbon callbacks. No business logic here: every button of the
' "complaint kit" tab hands its id to Python through the official xlwings add-in
' (RunPython), and complaint_kit.addin.dispatch does the rest.
' Plain ASCII on purpose: VBA source is stored in the machine's code page; the
' Chinese messages come from CK_Text (generated, built with ChrW).
Option Explicit

Private ckRibbon As IRibbonUI

Public Sub CK_OnLoad(ribbon As IRibbonUI)
    Set ckRibbon = ribbon
End Sub

Public Sub CK_OnAction(control As IRibbonControl)
    Dim errNumber As Long
    Dim errText As String
    ' RunPython tells Python which workbook is active; without one it fails (error 91).
    If ActiveWorkbook Is Nothing Then
        MsgBox CK_TextNoWorkbook(), vbExclamation, CK_TextTitle()
        Exit Sub
    End If
    On Error Resume Next
    Application.Run "xlwings.xlam!Main.RunPython", _
        "import complaint_kit.addin as ck; ck.dispatch('" & control.Id & "')"
    errNumber = Err.Number
    errText = Err.Description
    On Error GoTo 0
    If errNumber = 0 Then Exit Sub
    ' 1004 is what Application.Run raises when it cannot find the macro; it counts as
    ' "xlwings missing" only when xlwings.xlam is indeed not open.
    If errNumber = 1004 And Not CK_XlwingsLoaded() Then
        MsgBox CK_TextXlwingsMissing(), vbExclamation, CK_TextTitle()
    Else
        MsgBox CK_TextFailed() & vbCrLf & "Err " & errNumber & ": " & errText, vbCritical, CK_TextTitle()
    End If
End Sub

Private Function CK_XlwingsLoaded() As Boolean
    ' An open add-in is reachable by name in Workbooks although it is not counted there.
    Dim book As Object
    On Error Resume Next
    Set book = Application.Workbooks("xlwings.xlam")
    CK_XlwingsLoaded = Not (book Is Nothing)
End Function
