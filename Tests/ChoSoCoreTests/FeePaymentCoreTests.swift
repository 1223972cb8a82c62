import Foundation
import Testing
@testable import ChoSoCore

@Suite struct FeeMatcherTests {
    let account = CollectionAccount(marketID: "m", bin: "970405", accountNumber: "7808205012345")
    let bill = FeeBillRef(id: "b1", stallID: "s12", stallNumber: "12", code: "PC" + "1234567")

    func transfer(_ description: String, account number: String = "7808205012345", bin: String? = "970405", direction: IncomingTransfer.Direction = .incoming) -> IncomingTransfer {
        IncomingTransfer(provider: "generic", providerTransactionID: "t", accountNumber: number, bin: bin, amount: 100_000, direction: direction, description: description)
    }

    @Test func onlyTransfersToTheFeeAccountAreFeesAndTheCodeNamesTheStall() throws {
        let code = FeeCode.generate()
        let known = FeeBillRef(id: "b1", stallID: "s12", stallNumber: "12", code: code)
        // Another account (a stall's): the fee matcher stays out of it.
        #expect(FeeMatcher.match(transfer(code, account: "1234567890123"), accounts: [account], bills: [known]) == nil)
        // Same number at another bank: not the market's.
        #expect(FeeMatcher.match(transfer(code, bin: "970436"), accounts: [account], bills: [known]) == nil)
        let paid = try #require(FeeMatcher.match(transfer("CK " + code.lowercased().map(String.init).joined(separator: " ")), accounts: [account], bills: [known]))
        #expect(paid.match.status == .fee && paid.bill == known && paid.match.stallID == nil)
        let none = try #require(FeeMatcher.match(transfer("quay 12 nop phi"), accounts: [account], bills: [known]))
        #expect(none.match.status == .unmatched && none.bill == nil)
        // A well-formed code of no bill here, and a payment request's code: the board decides.
        let stranger = try #require(FeeMatcher.match(transfer(FeeCode.generate()), accounts: [account], bills: [known]))
        #expect(stranger.match.status == .unmatched && stranger.match.reason.vi.contains("không thuộc hoá đơn nào"))
        #expect(try #require(FeeMatcher.match(transfer(PaymentCode.generate()), accounts: [account], bills: [known])).match.status == .unmatched)
        // Money sent out of the fee account is kept, never a payment.
        #expect(try #require(FeeMatcher.match(transfer(code, direction: .outgoing), accounts: [account], bills: [known])).match.status == .outgoing)
    }
}

@Suite struct FeePostingTests {
    let bills = [
        FeeLedger.OpenBill(id: "nov-rent", period: FeePeriod("2026-11")!, lineOrder: 0, remaining: 400_000),
        FeeLedger.OpenBill(id: "dec-clean", period: FeePeriod("2026-12")!, lineOrder: 2, remaining: 50_000),
        FeeLedger.OpenBill(id: "dec-rent", period: FeePeriod("2026-12")!, lineOrder: 0, remaining: 400_000),
    ]

    @Test func aPaymentIsEnteredOncePlacedOldestFirstAndTheRestIsCredit() {
        let entries = FeePosting.payment(1_000_000, openBills: bills)
        #expect(entries.map(\.kind) == [.payment, .allocation, .allocation, .allocation, .credit])
        #expect(entries.compactMap(\.billID) == ["nov-rent", "dec-rent", "dec-clean"])
        #expect(entries.last?.amount == 150_000 && entries.allSatisfy(\.fromPayment))
        #expect(entries.dropFirst().reduce(0) { $0 + $1.amount } == 1_000_000)
        let part = FeePosting.payment(225_000, openBills: bills)
        #expect(part.count == 2 && part[1].billID == "nov-rent" && part[1].amount == 225_000)
    }

    @Test func creditPaysNewBillsAndNeverMoreThanIsLeft() {
        let used = FeePosting.creditUse(450_100, openBills: bills)
        #expect(used.first?.kind == .credit && used.first?.amount == -450_100 && used.allSatisfy { !$0.fromPayment })
        #expect(used.dropFirst().map(\.amount) == [400_000, 50_100])
        #expect(FeePosting.creditUse(2_000_000, openBills: bills).first?.amount == -850_000)
        #expect(FeePosting.creditUse(0, openBills: bills).isEmpty && FeePosting.creditUse(-5, openBills: bills).isEmpty)
        #expect(FeePosting.creditUse(10_000, openBills: []).isEmpty)
    }

    @Test func theAuditFindsWhatASoundLedgerNeverHas() {
        var entries = [
            FeeLedger.Entry(id: "c1", kind: .charge, stallID: "s", billID: "b", amount: 400_000),
            FeeLedger.Entry(id: "p1", kind: .payment, stallID: "s", paymentID: "pay", amount: 500_000),
            FeeLedger.Entry(id: "a1", kind: .allocation, stallID: "s", billID: "b", paymentID: "pay", amount: 400_000),
            FeeLedger.Entry(id: "k1", kind: .credit, stallID: "s", paymentID: "pay", amount: 100_000),
        ]
        #expect(FeeLedger.audit(entries, bills: ["b": 400_000], payments: ["pay": 500_000]).isEmpty)
        #expect(FeeLedger.audit(entries, bills: ["b": 450_000], payments: ["pay": 500_000]).count == 1)
        #expect(FeeLedger.audit(entries, bills: ["b": 400_000, "other": 1], payments: ["pay": 500_000]).count == 1)
        entries.append(FeeLedger.Entry(id: "a2", kind: .allocation, stallID: "s", billID: "b", paymentID: "pay", amount: 1))
        #expect(FeeLedger.audit(entries, bills: ["b": 400_000], payments: ["pay": 500_000]).count == 2)  // over-placed and over-paid
        entries.removeLast()
        entries.append(FeeLedger.Entry(id: "r1", kind: .reversal, stallID: "s", amount: -100_000, reverses: "k1"))
        entries.append(FeeLedger.Entry(id: "r2", kind: .reversal, stallID: "s", amount: -100_000, reverses: "k1"))
        entries.append(FeeLedger.Entry(id: "r3", kind: .reversal, stallID: "s", amount: 0, reverses: "nothing"))
        let problems = FeeLedger.audit(entries, bills: ["b": 400_000], payments: ["pay": 500_000])
        #expect(problems.contains { $0.contains("r3") } && problems.contains { $0.contains("2 lần") })
    }
}

@Suite struct FeeReportTests {
    @Test func totalsCollectionAndArrearsByAge() {
        let paid = FeeLedger.BillFigures(amountDue: 450_000, amountPaid: 450_000)
        let part = FeeLedger.BillFigures(amountDue: 450_000, amountPaid: 225_000)
        let cancelled = FeeLedger.BillFigures(amountDue: 0, amountPaid: 0, isCancelled: true)
        let report = FeeReport(
            period: FeePeriod("2026-12")!,
            bills: [.init(stallNumber: "12", stallName: "Trái cây Cô Ba", phone: "0912345678", line: "Tiền thuê quầy", figures: paid),
                    .init(stallNumber: "15", stallName: "Gạo", phone: "", line: "Tiền thuê quầy", figures: part),
                    .init(stallNumber: "16", stallName: "Thịt", phone: "", line: "Phí vệ sinh", figures: cancelled)],
            payments: [.init(amount: 450_000, isCash: false), .init(amount: 225_000, isCash: false), .init(amount: 50_000, isCash: true)],
            openBills: [.init(stallNumber: "15", stallName: "Gạo", phone: "", period: FeePeriod("2026-12")!, remaining: 225_000),
                        .init(stallNumber: "15", stallName: "Gạo", phone: "", period: FeePeriod("2026-11")!, remaining: 100_000),
                        .init(stallNumber: "9", stallName: "Hủ tiếu", phone: "0900000009", period: FeePeriod("2026-09")!, remaining: 300_000),
                        // A month billed ahead is not owed yet.
                        .init(stallNumber: "9", stallName: "Hủ tiếu", phone: "0900000009", period: FeePeriod("2027-01")!, remaining: 300_000)],
            today: Day(year: 2026, month: 12, day: 20))
        #expect(report.totals.billCount == 2 && report.totals.billed == 900_000 && report.totals.paid == 675_000 && report.totals.remaining == 225_000)
        #expect(report.totals.paidCount == 1 && report.totals.partlyPaidCount == 1 && report.totals.unpaidCount == 0)
        #expect(report.collection.valueShare.text == "93,1 %" && report.collection.countShare.text == "66,7 %")
        #expect(report.arrears.map(\.stallNumber) == ["9", "15"])
        #expect(report.arrears[0].over60 == 300_000 && report.arrears[0].total == 300_000)
        #expect(report.arrears[1].upTo30 == 225_000 && report.arrears[1].from31To60 == 100_000)
        let sheet = report.sheet(issuer: "Ban quản lý chợ Ngan Rô", place: "Trần Đề", issued: Day(year: 2026, month: 12, day: 20))
        let total = sheet.rows.first { $0.count > 1 && $0[1] == .text("Tổng cộng") }
        #expect(total?[4] == .number(900_000) && total?[6] == .number(225_000))
    }
}

@Suite struct FeeInputTests {
    @Test func aTariffFormSaysWhatIsWrongAndMakesTheLines() throws {
        let good = TariffInput(decisionNumber: " 25/QĐ-UBND ", decisionDate: "2026-11-10", issuer: "UBND xã Trần Đề", effectiveFrom: "2026-12-01",
                               rent: [.frontRow: "100.000", .innerRow: "70000", .outdoor: ""], cleaning: "50.000", electricity: "3500", ticket: "")
        guard case .valid(let version) = good.validate() else { Issue.record("valid"); return }
        #expect(version.decision.number == "25/QĐ-UBND" && version.lines.map(\.code) == ["rent", "electricity", "cleaning"])
        #expect(version.lines[0].kind == .rentPerSquareMetre([.frontRow: 100_000, .innerRow: 70_000]))
        var bad = good
        bad.effectiveFrom = "2026-11-01"
        bad.cleaning = "-5"
        bad.decisionNumber = ""
        guard case .invalid(let errors) = bad.validate() else { Issue.record("invalid"); return }
        #expect(Set(errors.map(\.code)) == ["before_decision", "bad_price", "required"])
        let empty = TariffInput(decisionNumber: "1", decisionDate: "2026-11-10", issuer: "x", effectiveFrom: "2026-12-01", rent: [:], cleaning: "", electricity: "", ticket: "")
        guard case .invalid(let none) = empty.validate() else { Issue.record("no lines"); return }
        #expect(none.map(\.code) == ["no_lines"])
    }

    @Test func aStallsAreaAndPositionAreCheckedWithItsOtherFields() {
        let ok = RegistryValidation.validate(StallInput(number: "12", name: "Trái cây", keeperName: "Cô Ba", area: "4,5", positionClass: "front_row"))
        guard case .valid(let fields) = ok else { Issue.record("valid"); return }
        #expect(fields.areaCentiSquareMetres == 450 && fields.positionClass == .frontRow)
        let bad = RegistryValidation.validate(StallInput(number: "12", name: "Trái cây", keeperName: "Cô Ba", area: "-4", positionClass: "roof"))
        guard case .invalid(let errors) = bad else { Issue.record("invalid"); return }
        #expect(Set(errors.map(\.code)) == ["bad_area", "bad_position_class"])
    }

    @Test func aReceiptNumberCatchesAMistypedCharacter() throws {
        let number = FeeReceipt.generate()
        #expect(number.hasPrefix("BL") && FeeReceipt.normalized(number.lowercased()) == number)
        let last = number.last!
        let typo = String(number.dropLast()) + (last == "0" ? "1" : "0")
        #expect(FeeReceipt.normalized(typo) == nil && FeeReceipt.normalized("BL") == nil && FeeReceipt.normalized("../etc") == nil)
    }
}
