import Testing
@testable import ChoSoCore

@Suite struct FeePeriodTests {
    @Test func onlyAWellFormedMonthIsAPeriod() {
        #expect(FeePeriod("2026-12")?.vietnamese == "12/2026")
        for bad in ["2026-13", "2026-00", "2026-1", "2026-12-01", " 2026-12", "２０２６-12", "abcd-ef", "", "1999-12"] {
            #expect(FeePeriod(bad) == nil, "\(bad)")
        }
        let december = FeePeriod("2026-12")!
        #expect(december.next.iso == "2027-01" && december.previous.iso == "2026-11")
        #expect(december.lastDay == Day(year: 2026, month: 12, day: 31))
        #expect(FeePeriod("2028-02")!.lastDay == Day(year: 2028, month: 2, day: 29))
        #expect(FeePeriod.range(FeePeriod("2026-11")!, FeePeriod("2027-02")!).map(\.iso) == ["2026-11", "2026-12", "2027-01", "2027-02"])
        #expect(FeePeriod.range(december, december.previous).isEmpty)
    }
}

@Suite struct TariffTests {
    let rent = FeeLine(code: "rent", name: "Tiền thuê quầy", kind: .rentPerSquareMetre([.frontRow: 100_000, .innerRow: 70_000]))

    func version(_ number: String, from: Day, to: Day? = nil) -> TariffVersion {
        TariffVersion(decision: FeeDecision(number: number, date: from, issuer: "UBND xã Trần Đề"), effectiveFrom: from, effectiveTo: to, lines: [rent])
    }

    @Test func theVersionInForceOnAPeriodsFirstDayBillsIt() {
        let old = version("12/QĐ-UBND", from: Day(year: 2025, month: 1, day: 1), to: Day(year: 2026, month: 11, day: 14))
        let new = version("45/QĐ-UBND", from: Day(year: 2026, month: 11, day: 15))
        #expect(TariffVersion.inForce(for: FeePeriod("2026-11")!, among: [old, new])?.decision.number == "12/QĐ-UBND")
        #expect(TariffVersion.inForce(for: FeePeriod("2026-12")!, among: [old, new])?.decision.number == "45/QĐ-UBND")
        #expect(TariffVersion.inForce(for: FeePeriod("2024-12")!, among: [old, new]) == nil)
    }

    @Test func rentIsAreaTimesTheClassPriceRoundedToTheDong() throws {
        let period = FeePeriod("2026-12")!
        let stall = FeeBilling.Stall(id: "s12", areaCentiSquareMetres: 450, positionClass: .frontRow)
        let draft = try FeeBilling.draft(stall, line: rent, period: period, reading: nil).get()
        #expect(draft.amountDue == 450_000)
        #expect(draft.basis == "4,50 m² × 100.000 đ")
        // 3,33 m² × 70.001 đ = 233.103,33 đ → 233.103 đ.
        let odd = FeeLine(code: "rent", name: "", kind: .rentPerSquareMetre([.innerRow: 70_001]))
        #expect(try FeeBilling.draft(.init(id: "x", areaCentiSquareMetres: 333, positionClass: .innerRow), line: odd, period: period, reading: nil).get().amountDue == 233_103)
        #expect(FeeBilling.draft(.init(id: "x", areaCentiSquareMetres: nil, positionClass: .frontRow), line: rent, period: period, reading: nil) == .failure(.noArea))
        #expect(FeeBilling.draft(.init(id: "x", areaCentiSquareMetres: 400, positionClass: .outdoor), line: rent, period: period, reading: nil) == .failure(.noPriceForClass))
        let ticket = FeeLine(code: "ticket", name: "Vé chợ", kind: .dailyTicket(5_000))
        #expect(FeeBilling.draft(stall, line: ticket, period: period, reading: nil) == .failure(.ticketNotBilledMonthly))
    }

    @Test func electricityComesFromReadingsThatNeverGoBackwards() throws {
        let power = FeeLine(code: "electricity", name: "Tiền điện", kind: .electricityPerKWh(3_000))
        let stall = FeeBilling.Stall(id: "s", areaCentiSquareMetres: nil, positionClass: nil)
        let reading = try FeeBilling.check(current: 1_250, lastIndex: 1_200).get()
        #expect(try FeeBilling.draft(stall, line: power, period: FeePeriod("2026-12")!, reading: reading).get().amountDue == 150_000)
        #expect(FeeBilling.check(current: 1_100, lastIndex: 1_200).errors.map(\.code) == ["index_below_last"])
        #expect(FeeBilling.check(current: -1, lastIndex: nil).errors.map(\.code) == ["bad_index"])
        #expect(FeeBilling.draft(stall, line: power, period: FeePeriod("2026-12")!, reading: nil) == .failure(.noReading))
    }

    @Test func areasAreReadAsTypedWithACommaOrADot() {
        #expect(FeeBilling.parseArea("4,5") == 450)
        #expect(FeeBilling.parseArea("4.25") == 425)
        #expect(FeeBilling.parseArea(" 12 ") == 1_200)
        for bad in ["", "0", "-3", "4,555", "4,5,5", "1e3", "٤", "10001"] { #expect(FeeBilling.parseArea(bad) == nil, "\(bad)") }
    }
}

@Suite struct FeeLedgerTests {
    let nov = FeePeriod("2026-11")!, dec = FeePeriod("2026-12")!

    @Test func aPaymentGoesToTheOldestBillFirstAndTheRestBecomesCredit() {
        let bills = [
            FeeLedger.OpenBill(id: "dec-rent", period: dec, lineOrder: 0, remaining: 450_000),
            FeeLedger.OpenBill(id: "nov-clean", period: nov, lineOrder: 2, remaining: 50_000),
            FeeLedger.OpenBill(id: "nov-rent", period: nov, lineOrder: 0, remaining: 200_000),
        ]
        let partial = FeeLedger.allocate(300_000, to: bills)
        #expect(partial.allocations.map(\.bill) == ["nov-rent", "nov-clean", "dec-rent"])
        #expect(partial.allocations.map(\.amount) == [200_000, 50_000, 50_000])
        #expect(partial.leftover == 0)
        let over = FeeLedger.allocate(800_000, to: bills)
        #expect(over.leftover == 100_000)
        #expect(FeeLedger.allocate(-5, to: bills).allocations.isEmpty)
    }

    @Test func figuresComeFromTheEntriesAndAReversalUndoesOne() {
        var entries: [FeeLedger.Entry] = [
            .init(id: "1", kind: .charge, stallID: "s", billID: "b1", amount: 450_000),
            .init(id: "2", kind: .payment, stallID: "s", paymentID: "p1", amount: 500_000),
            .init(id: "3", kind: .allocation, stallID: "s", billID: "b1", paymentID: "p1", amount: 450_000),
            .init(id: "4", kind: .credit, stallID: "s", paymentID: "p1", amount: 50_000),
            .init(id: "5", kind: .charge, stallID: "s", billID: "b2", amount: 450_000),
            // The credit carried forward pays part of the next bill.
            .init(id: "6", kind: .allocation, stallID: "s", billID: "b2", amount: 50_000),
            .init(id: "7", kind: .credit, stallID: "s", amount: -50_000),
        ]
        var figures = FeeLedger.figures(entries)
        #expect(figures.bills["b1"]?.status == .paid)
        #expect(figures.bills["b2"]?.amountPaid == 50_000 && figures.bills["b2"]?.status == .partlyPaid)
        #expect(figures.credit["s"] == 0)
        #expect(figures.balance(ofStall: "s", bills: ["b1", "b2"]) == 400_000)
        #expect(figures.unbalancedPayments.isEmpty)
        // The payment was recorded against the wrong stall: reversed, with all it placed.
        entries += ["2", "3", "4"].map { (id: String) in FeeLedger.Entry(id: "r" + id, kind: .reversal, stallID: "s", amount: 0, reverses: id) }
        figures = FeeLedger.figures(entries)
        #expect(figures.bills["b1"]?.status == .unpaid)
        #expect(figures.credit["s"] == -50_000, "the credit used came from the reversed payment")
        #expect(figures.balance(ofStall: "s", bills: ["b1", "b2"]) == 900_000)
        #expect(figures.unbalancedPayments.isEmpty)
        // A bill issued by mistake is cancelled by reversing its charge.
        entries.append(.init(id: "r5", kind: .reversal, stallID: "s", amount: 0, reverses: "5"))
        #expect(FeeLedger.figures(entries).bills["b2"]?.status == .cancelled)
    }

    @Test func aPaymentPlacedTwiceIsCaught() {
        let entries: [FeeLedger.Entry] = [
            .init(id: "1", kind: .payment, stallID: "s", paymentID: "p", amount: 100),
            .init(id: "2", kind: .allocation, stallID: "s", billID: "b", paymentID: "p", amount: 100),
            .init(id: "3", kind: .allocation, stallID: "s", billID: "c", paymentID: "p", amount: 100),
        ]
        #expect(FeeLedger.figures(entries).unbalancedPayments == ["p"])
    }
}

@Suite struct FeeCodeTests {
    @Test func aFeeCodeIsFoundLikeARequestCodeAndNeverTakenForOne() throws {
        let code = FeeCode.generate()
        #expect(code.hasPrefix("PC") && code.count == PaymentCode.length)
        #expect(FeeCode.normalized(code.lowercased()) == code)
        let description = "MBVCB.3278907687.\(code.prefix(5)).\(code.dropFirst(5)).CT tu 0123 NGUYEN VAN A"
        #expect(FeeCode.find(in: description) == [code])
        #expect(PaymentCode.find(in: description).isEmpty, "a fee code is not a sale's")
        let request = PaymentCode.generate()
        #expect(FeeCode.find(in: "\(request) \(code)") == [code])
        #expect(PaymentCode.find(in: "\(request) \(code)") == [request])
        // One character changed: the check refuses it.
        let wrong = String(code.dropLast()) + (code.last == "0" ? "1" : "0")
        #expect(FeeCode.normalized(wrong) == nil)
    }
}
