import Benchmark
import ChoSoCore
import VietQR

/// The pure work behind every registry request: the access decision (with the officer's unit
/// lineage) and the validation of a stall with its account.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal], maxDuration: .seconds(2))

    let tree = TranDeUnits.tree
    Benchmark("UnitTree.lineage (officer access check)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(tree.lineage(of: "31672"))
        }
    }

    let officer = Principal(userID: "u", role: .officer, scope: [TranDeUnits.newID("31673")])
    let stall = Resource.stall(id: "s", marketID: "m", units: tree.lineage(of: "31672"))
    Benchmark("AccessPolicy.decide") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(AccessPolicy.decide(officer, .read, stall))
        }
    }

    let stallInput = StallInput(number: "12", name: "Trái cây Cô Ba", trade: "Trái cây", keeperName: "Nguyễn Thị Ba", phone: "+84 912 345 678")
    let accountInput = ReceivingAccountInput(kind: "mobile_money", bin: "971005", accountNumber: "0912345678", holderName: "Nguyễn Thị Ba")
    _ = BankDirectory.bundled
    Benchmark("RegistryValidation: stall + account") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(RegistryValidation.validate(stallInput))
            blackHole(RegistryValidation.validate(accountInput))
        }
    }
}
