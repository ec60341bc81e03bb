import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A fresh folder only its owner can enter, with an unpredictable name: nothing another account planted can be in it.
public enum PrivateFolder {
    /// Creates `<parent>/<prefix>XXXXXX` with `mkdtemp` (mode 0700, never an existing name) and returns its path.
    public static func make(in parent: String, prefix: String) throws(StoreError) -> String {
        let template = AtomicFile.join(parent, prefix + "XXXXXX")
        var bytes = Array(template.utf8CString)
        let made = bytes.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        guard made != nil else {
            let code = errno
            switch code {
            case ENOENT: throw StoreError.parentMissing(path: template)
            case EACCES, EPERM: throw StoreError.permissionDenied(path: parent, operation: "create a private folder")
            default: throw StoreError.io(path: template, operation: "create a private folder", reason: AtomicFile.describe(code))
            }
        }
        return String(decoding: bytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
