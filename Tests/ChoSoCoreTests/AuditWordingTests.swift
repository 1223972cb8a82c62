import ChoSoCore
import Testing

/// The audit log in words: account kinds and BINs as a board member names them.
@Suite struct AuditWordingTests {
    @Test func accountChangesReadAsWords() {
        #expect(AuditWording.detail("add mobile_money 971005/0918222333 TRAN THI TU", language: .vi)
            == "Tài khoản Viettel Money 0918222333 TRAN THI TU")
        #expect(AuditWording.detail("bank 970422/0123456789 NGUYEN VAN A", language: .en)
            == "Bank account MBBank 0123456789 NGUYEN VAN A")
        #expect(AuditWording.detail("deactivate 970422/0123456789 requested by bql.nganro, confirmed by bql2.nganro", language: .vi)
            == "Tài khoản ngân hàng MBBank 0123456789 người đề nghị: bql.nganro, người xác nhận: bql2.nganro")
    }

    @Test func otherDetailsStayAsWritten() {
        #expect(AuditWording.detail("12 Trái cây Cô Ba", language: .vi) == "12 Trái cây Cô Ba")
        #expect(AuditWording.detail("", language: .vi) == "")
        // An unknown BIN is not an account reference.
        #expect(AuditWording.detail("999999/123", language: .vi) == "999999/123")
    }
}
