import Fluent
import FluentSQL

/// Every migration in the order it runs. Append only: a released migration is never edited,
/// removed or reordered; a change is a new migration at the end.
enum ChoSoMigrations {
    static let all: [any AsyncMigration] = [
        CreateUsers(),
        CreateUserScopes(),
        CreateAPITokens(),
        CreateLoginFailures(),
        CreateSessions(),
        CreateAdminUnits(),
        CreateUnitSuccessions(),
        CreateMarkets(),
        CreateStalls(),
        CreateReceivingAccounts(),
        CreateTeams(),
        CreateTeamMembers(),
        CreateAuditEntries(),
        CreatePaymentRequests(),
        CreateCashEntries(),
        CreateBoardPrints(),
        CreateAccountChanges(),
        AddStallRequestExpiry(),
        CreateOcopProducts(),
        CreateWebhookConnections(),
        CreateTransfers(),
        CreateSpeakerDevices(),
        AddStallSpeechSettings(),
        CreateStallHourlyTotals(),
        CreateStallDailyTotals(),
        AddCashEntryDayIndex(),
        AddUserCredentialState(),
        CreateIdempotencyKeys(),
        AddAccountChangeAction(),
        AddCashEntryCorrections(),
        AddMarketEntryLimits(),
        AddCashEntryNote(),
        CreateCommunityRecords(),
        CreateFees(),
        CreateFeePayments(),
    ]
}
