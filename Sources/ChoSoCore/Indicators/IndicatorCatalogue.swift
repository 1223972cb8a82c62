/// The measures ChoSo counts from its own records, each attached to the unit of the record
/// (a household's hamlet, a market's commune, a producer's commune). Indicators divide one by
/// another, or by an official baseline.
public enum IndicatorMeasure: String, Sendable, Hashable, CaseIterable, Codable {
    // Households and their checklists (the community teams' register).
    case householdsRegistered = "households.registered"
    case householdsSmartphone = "households.smartphone"
    case householdsPaymentAccount = "households.payment_account"
    case householdsVneidLevel2 = "households.vneid_level2"
    case householdsPublicServiceAccount = "households.dvc_account"
    case householdsBroadband = "households.broadband"
    case householdsVisited = "households.visited"
    case adultsSmartphone = "adults.smartphone"
    case adultsPaymentAccount = "adults.payment_account"
    case adultsVneidLevel2 = "adults.vneid_level2"
    case adultsPublicServiceAccount = "adults.dvc_account"
    // Teams.
    case teams, teamMembers = "team_members", visits
    // Markets.
    case marketsCashless = "markets.cashless"
    case stalls, stallsWithQR = "stalls.with_qr", stallsActive30Days = "stalls.active_30_days"
    case transfers, transfersDong = "transfers.dong", marketSalesDong = "market_sales.dong"
    // Fees.
    case feesBilledDong = "fees.billed_dong", feesCollectedCashlessDong = "fees.collected_cashless_dong"
    // OCOP.
    case ocopValid = "ocop.valid", ocopValid3 = "ocop.valid_3", ocopValid4 = "ocop.valid_4", ocopValid5 = "ocop.valid_5"
    case ocopValidListed = "ocop.valid_listed"

    public var label: LocalizedText {
        switch self {
        case .householdsRegistered: LocalizedText(vi: "Hộ đã ghi nhận", en: "Households registered")
        case .householdsSmartphone: LocalizedText(vi: "Hộ có điện thoại thông minh", en: "Households with a smartphone")
        case .householdsPaymentAccount: LocalizedText(vi: "Hộ có tài khoản thanh toán", en: "Households with a payment account")
        case .householdsVneidLevel2: LocalizedText(vi: "Hộ có người VNeID mức 2", en: "Households with VNeID level 2")
        case .householdsPublicServiceAccount: LocalizedText(vi: "Hộ có tài khoản dịch vụ công", en: "Households with a public-service account")
        case .householdsBroadband: LocalizedText(vi: "Hộ có Internet cáp quang", en: "Households with broadband")
        case .householdsVisited: LocalizedText(vi: "Hộ đã được tổ đến thăm", en: "Households visited")
        case .adultsSmartphone: LocalizedText(vi: "Người trưởng thành có điện thoại thông minh", en: "Adults with a smartphone")
        case .adultsPaymentAccount: LocalizedText(vi: "Người trưởng thành có tài khoản thanh toán", en: "Adults with a payment account")
        case .adultsVneidLevel2: LocalizedText(vi: "Người trưởng thành có VNeID mức 2", en: "Adults with VNeID level 2")
        case .adultsPublicServiceAccount: LocalizedText(vi: "Người trưởng thành có tài khoản dịch vụ công", en: "Adults with a public-service account")
        case .teams: LocalizedText(vi: "Tổ công nghệ số cộng đồng", en: "Community digital teams")
        case .teamMembers: LocalizedText(vi: "Thành viên tổ", en: "Team members")
        case .visits: LocalizedText(vi: "Lượt đến hộ", en: "Visits")
        case .marketsCashless: LocalizedText(vi: "Chợ theo mô hình không dùng tiền mặt", en: "Markets in the cashless model")
        case .stalls: LocalizedText(vi: "Quầy, sạp", en: "Stalls")
        case .stallsWithQR: LocalizedText(vi: "Quầy có bảng mã QR", en: "Stalls with a QR board")
        case .stallsActive30Days: LocalizedText(vi: "Quầy có giao dịch trong 30 ngày", en: "Stalls active in 30 days")
        case .transfers: LocalizedText(vi: "Lượt chuyển khoản", en: "Transfers")
        case .transfersDong: LocalizedText(vi: "Giá trị chuyển khoản", en: "Value of transfers")
        case .marketSalesDong: LocalizedText(vi: "Doanh thu ghi nhận ở chợ (tiền mặt và chuyển khoản)", en: "Market sales recorded (cash and transfer)")
        case .feesBilledDong: LocalizedText(vi: "Phí chợ phải thu", en: "Market fees billed")
        case .feesCollectedCashlessDong: LocalizedText(vi: "Phí chợ thu không dùng tiền mặt", en: "Market fees collected cashless")
        case .ocopValid: LocalizedText(vi: "Sản phẩm OCOP còn hiệu lực", en: "Valid OCOP products")
        case .ocopValid3: LocalizedText(vi: "Sản phẩm OCOP 3 sao còn hiệu lực", en: "Valid 3-star OCOP products")
        case .ocopValid4: LocalizedText(vi: "Sản phẩm OCOP 4 sao còn hiệu lực", en: "Valid 4-star OCOP products")
        case .ocopValid5: LocalizedText(vi: "Sản phẩm OCOP 5 sao còn hiệu lực", en: "Valid 5-star OCOP products")
        case .ocopValidListed: LocalizedText(vi: "Sản phẩm OCOP còn hiệu lực, đủ thông tin bán trực tuyến", en: "Valid OCOP products complete for online sale")
        }
    }

    /// Money measures are đồng; the rest are counts.
    public var isMoney: Bool { rawValue.hasSuffix("dong") }

    /// What one of it is called in a sentence: "còn thiếu 312 hộ".
    public var noun: LocalizedText {
        switch self {
        case .householdsRegistered, .householdsSmartphone, .householdsPaymentAccount, .householdsVneidLevel2,
             .householdsPublicServiceAccount, .householdsBroadband, .householdsVisited:
            LocalizedText(vi: "hộ", en: "households")
        case .adultsSmartphone, .adultsPaymentAccount, .adultsVneidLevel2, .adultsPublicServiceAccount, .teamMembers:
            LocalizedText(vi: "người", en: "people")
        case .teams: LocalizedText(vi: "tổ", en: "teams")
        case .visits: LocalizedText(vi: "lượt", en: "visits")
        case .marketsCashless: LocalizedText(vi: "chợ", en: "markets")
        case .stalls, .stallsWithQR, .stallsActive30Days: LocalizedText(vi: "quầy", en: "stalls")
        case .transfers: LocalizedText(vi: "lượt chuyển khoản", en: "transfers")
        case .transfersDong, .marketSalesDong, .feesBilledDong, .feesCollectedCashlessDong: LocalizedText(vi: "đồng", en: "đồng")
        case .ocopValid, .ocopValid3, .ocopValid4, .ocopValid5, .ocopValidListed: LocalizedText(vi: "sản phẩm", en: "products")
        }
    }
}

/// Official baselines an officer enters or imports for a unit and date.
public enum IndicatorBaselineKind: String, Sendable, Hashable, CaseIterable, Codable {
    case households, adults, population

    public var label: LocalizedText {
        switch self {
        case .households: LocalizedText(vi: "Số hộ (chính thức)", en: "Households (official)")
        case .adults: LocalizedText(vi: "Số người trưởng thành (chính thức)", en: "Adults (official)")
        case .population: LocalizedText(vi: "Dân số (chính thức)", en: "Population (official)")
        }
    }
}

extension IndicatorDefinition {
    /// The catalogue ChoSo seeds (the administrator may edit it): Resolution 07-NQ/TU's kind of
    /// indicators, each computed from the measures above.
    public static let seeded: [IndicatorDefinition] = {
        func share(_ code: String, _ vi: String, _ en: String, _ pillar: IndicatorPillar, _ n: IndicatorMeasure, _ d: IndicatorDenominator) -> IndicatorDefinition {
            IndicatorDefinition(code: code, name: LocalizedText(vi: vi, en: en), pillar: pillar, unit: .percent, numerator: n.rawValue, denominator: d)
        }
        func count(_ code: String, _ vi: String, _ en: String, _ pillar: IndicatorPillar, _ n: IndicatorMeasure) -> IndicatorDefinition {
            IndicatorDefinition(code: code, name: LocalizedText(vi: vi, en: en), pillar: pillar, unit: n.isMoney ? .dong : .count, numerator: n.rawValue, denominator: nil)
        }
        let households = IndicatorDenominator.baseline(IndicatorBaselineKind.households.rawValue)
        let adults = IndicatorDenominator.baseline(IndicatorBaselineKind.adults.rawValue)
        return [
            share("XH-01", "Tỷ lệ hộ gia đình có điện thoại thông minh", "Households with a smartphone", .society, .householdsSmartphone, households),
            share("XH-02", "Tỷ lệ người trưởng thành có điện thoại thông minh", "Adults with a smartphone", .society, .adultsSmartphone, adults),
            share("XH-03", "Tỷ lệ hộ gia đình có Internet cáp quang băng rộng", "Households with broadband", .society, .householdsBroadband, households),
            share("XH-04", "Tỷ lệ người trưởng thành có tài khoản thanh toán", "Adults with a payment account", .society, .adultsPaymentAccount, adults),
            share("XH-05", "Tỷ lệ hộ đã được tổ công nghệ số cộng đồng đến", "Households visited by a team", .society, .householdsVisited, households),
            share("CQ-01", "Tỷ lệ người trưởng thành có định danh điện tử VNeID mức 2", "Adults with VNeID level 2", .government, .adultsVneidLevel2, adults),
            share("CQ-02", "Tỷ lệ người trưởng thành có tài khoản dịch vụ công trực tuyến", "Adults with a public-service account", .government, .adultsPublicServiceAccount, adults),
            count("KT-01", "Số chợ thực hiện mô hình không dùng tiền mặt", "Markets in the cashless model", .economy, .marketsCashless),
            share("KT-02", "Tỷ lệ quầy, sạp có bảng mã QR", "Stalls with a QR board", .economy, .stallsWithQR, .measure(IndicatorMeasure.stalls.rawValue)),
            share("KT-03", "Tỷ lệ doanh thu chợ thanh toán không dùng tiền mặt", "Cashless share of market sales", .economy, .transfersDong, .measure(IndicatorMeasure.marketSalesDong.rawValue)),
            share("KT-04", "Tỷ lệ phí chợ thu không dùng tiền mặt", "Market fees collected cashless", .economy, .feesCollectedCashlessDong, .measure(IndicatorMeasure.feesBilledDong.rawValue)),
            count("KT-05", "Số sản phẩm OCOP còn hiệu lực", "Valid OCOP products", .economy, .ocopValid),
            share("KT-06", "Tỷ lệ sản phẩm OCOP còn hiệu lực đủ thông tin bán trực tuyến", "Valid OCOP products ready for online sale", .economy, .ocopValidListed, .measure(IndicatorMeasure.ocopValid.rawValue)),
        ]
    }()
}
