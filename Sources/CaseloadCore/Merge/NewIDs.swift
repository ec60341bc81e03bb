import Foundation

/// What makes the IDs of new entities unique across instances (issue 18): numbers alone (`pat_0031`) are picked by each
/// instance from its own document, so two instances adding at once would pick the same one, and the merge would take two
/// different patients (or sessions, or consents) for one. The app sets a short random tag at start-up, appended to every
/// new ID (`pat_0031-k3f9`); tests leave it empty, so their IDs stay as they were.
public enum NewIDs {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var current = ""

    /// The tag appended to new IDs: empty, or `-` and four lower-case letters and digits.
    public static var tag: String {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }

    /// A fresh random tag.
    public static func randomTag() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")
        return "-" + String((0..<4).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
    }
}
