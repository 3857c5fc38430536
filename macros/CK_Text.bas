Attribute VB_Name = "CK_Text"
' The add-in's messages. GENERATED from complaint_kit.addin.build.VBA_TEXTS - do not edit;
' regenerate with: uv run python -m complaint_kit.addin.build
' Chinese is built with ChrW (code points in decimal) because VBA source must stay ASCII.
' Option Private Module: these functions are not offered to worksheets as cell functions.
Option Explicit
Option Private Module

Public Function CK_TextTitle() As String
    Dim s As String
    s = ChrW(23458) & ChrW(35785) & ChrW(31649) & ChrW(29702)
    CK_TextTitle = s
End Function

Public Function CK_TextNoWorkbook() As String
    Dim s As String
    s = ChrW(27809) & ChrW(26377) & ChrW(27963) & ChrW(21160) & ChrW(30340) & ChrW(24037) & ChrW(20316) & ChrW(31807)
    s = s & ChrW(65306) & ChrW(35831) & ChrW(20808) & ChrW(25171) & ChrW(24320) & ChrW(65288) & ChrW(25110) & ChrW(28857)
    s = s & ChrW(36873) & ChrW(65289) & ChrW(35201) & ChrW(22788) & ChrW(29702) & ChrW(30340) & ChrW(24037) & ChrW(20316)
    s = s & ChrW(31807) & ChrW(65292) & ChrW(20877) & ChrW(28857) & ChrW(25353) & ChrW(38062) & ChrW(12290) & ChrW(22914)
    s = s & ChrW(26524) & ChrW(25991) & ChrW(20214) & ChrW(20572) & ChrW(22312) & ChrW(8220) & ChrW(21463) & ChrW(20445)
    s = s & ChrW(25252) & ChrW(30340) & ChrW(35270) & ChrW(22270) & ChrW(8221) & ChrW(65292) & ChrW(35831) & ChrW(20808)
    s = s & ChrW(28857) & ChrW(8220) & ChrW(21551) & ChrW(29992) & ChrW(32534) & ChrW(36753) & ChrW(8221) & ChrW(12290)
    s = s & vbCrLf & "No workbook is active: open (or click into) the workbook first, then press the button."
    CK_TextNoWorkbook = s
End Function

Public Function CK_TextXlwingsMissing() As String
    Dim s As String
    s = ChrW(25214) & ChrW(19981) & ChrW(21040) & " xlwings " & ChrW(21152) & ChrW(36733) & ChrW(39033) & ChrW(65288)
    s = s & "xlwings.xlam" & ChrW(65289) & ChrW(65292) & ChrW(25353) & ChrW(38062) & ChrW(26080) & ChrW(27861) & ChrW(36816)
    s = s & ChrW(34892) & ChrW(12290) & ChrW(35831) & ChrW(31649) & ChrW(29702) & ChrW(21592) & ChrW(20026) & ChrW(24744)
    s = s & ChrW(65288) & ChrW(27599) & ChrW(20010) & ChrW(20351) & ChrW(29992) & ChrW(32773) & ChrW(21508) & ChrW(19968)
    s = s & ChrW(27425) & ChrW(65289) & ChrW(36816) & ChrW(34892) & ChrW(65306) & "complaint-kit addin install" & ChrW(65292) & ChrW(28982)
    s = s & ChrW(21518) & ChrW(37325) & ChrW(26032) & ChrW(21551) & ChrW(21160) & " Excel" & ChrW(12290) & vbCrLf
    s = s & "The xlwings add-in (xlwings.xlam) is not loaded. Ask the administrator to run, for this user: complaint-kit addin install, then restart Excel."
    CK_TextXlwingsMissing = s
End Function

Public Function CK_TextFailed() As String
    Dim s As String
    s = ChrW(23458) & ChrW(35785) & ChrW(31649) & ChrW(29702) & ChrW(21152) & ChrW(36733) & ChrW(39033) & ChrW(26410)
    s = s & ChrW(33021) & ChrW(36816) & ChrW(34892) & ChrW(36825) & ChrW(20010) & ChrW(25353) & ChrW(38062) & ChrW(12290)
    s = s & ChrW(35831) & ChrW(25226) & ChrW(19979) & ChrW(38754) & ChrW(30340) & ChrW(38169) & ChrW(35823) & ChrW(20449)
    s = s & ChrW(24687) & ChrW(21578) & ChrW(35785) & ChrW(31649) & ChrW(29702) & ChrW(21592) & ChrW(65306) & vbCrLf
    s = s & "The complaint_kit add-in could not run this button. Tell the administrator:"
    CK_TextFailed = s
End Function
