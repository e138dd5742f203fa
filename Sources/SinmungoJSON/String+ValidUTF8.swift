#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension String {
    /// The text of `bytes` when they are valid UTF-8, else nil: what `String(validating:as:)`
    /// answers, without its generic path, which looks up type metadata on every call and cost
    /// a read of the case list an eighth of its time.
    package init?(validUTF8 bytes: UnsafeRawBufferPointer) {
        let text = String(decoding: bytes, as: UTF8.self)
        // Decoding repairs invalid input into valid text, which then differs from the input.
        let same =
            text.utf8.withContiguousStorageIfAvailable { decoded in
                decoded.count == bytes.count
                    && (bytes.isEmpty || memcmp(decoded.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
            } ?? text.utf8.elementsEqual(bytes)
        guard same else { return nil }
        self = text
    }
}
