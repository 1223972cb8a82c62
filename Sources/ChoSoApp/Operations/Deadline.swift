import Foundation
import NIOConcurrencyHelpers

/// An operation took longer than it was given.
struct DeadlinePassed: Error {}

/// The operation's result, or `DeadlinePassed` once `limit` has passed. Unlike a task group this
/// does not wait for the operation to notice cancellation: a database call that never returns
/// (seen after PostgreSQL restarts) is left behind instead of holding its caller forever.
/// `late` receives a result that came after the deadline had answered (a connection opened too
/// late must still be closed).
func withDeadline<T: Sendable>(
    _ limit: Duration, _ operation: @escaping @Sendable () async throws -> T, late: (@Sendable (T) -> Void)? = nil
) async throws -> T {
    let answer = FirstAnswer<Result<T, any Error>>()
    return try await withCheckedThrowingContinuation { continuation in
        let timer = NIOLockedValueBox<Task<Void, Never>?>(nil)
        // The timer ends with the operation: the intake makes a hundred commits a second, and
        // each would otherwise leave a sleeping task behind for the whole `limit`.
        answer.onAnswer { result in
            continuation.resume(with: result)
            timer.withLockedValue { $0?.cancel() }
        }
        let work = Task {
            do {
                let value = try await operation()
                if !answer.give(.success(value)) { late?(value) }
            } catch { answer.give(.failure(error)) }
        }
        let sleeping = Task {
            try? await Task.sleep(for: limit)
            if answer.give(.failure(DeadlinePassed())) { work.cancel() }
        }
        timer.withLockedValue { $0 = sleeping }
        if answer.isAnswered { sleeping.cancel() }
    }
}

/// A value handed over once, by whichever of several tasks has it first.
final class FirstAnswer<Value: Sendable>: Sendable {
    private let state = NIOLockedValueBox<(answered: Bool, deliver: (@Sendable (Value) -> Void)?)>((false, nil))

    func onAnswer(_ deliver: @escaping @Sendable (Value) -> Void) { state.withLockedValue { $0.deliver = deliver } }

    var isAnswered: Bool { state.withLockedValue { $0.answered } }

    /// Whether this value was the one handed over.
    @discardableResult
    func give(_ value: Value) -> Bool {
        let deliver: (@Sendable (Value) -> Void)?? = state.withLockedValue { current in
            guard !current.answered else { return .none }
            current.answered = true
            return .some(current.deliver)
        }
        guard let deliver else { return false }
        deliver?(value)
        return true
    }
}
