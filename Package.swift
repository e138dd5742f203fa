// swift-tools-version:6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .treatAllWarnings(as: .error),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Sinmungo",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sinmungo", targets: ["sinmungo"]),
        .executable(name: "sinmungo-desk", targets: ["sinmungo-desk"]),
        .library(name: "SinmungoCore", targets: ["SinmungoCore"]),
        .library(name: "SinmungoStore", targets: ["SinmungoStore"]),
        .library(name: "SinmungoViews", targets: ["SinmungoViews"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", exact: "2.5.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", exact: "2.5.0"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", exact: "1.8.0"),
    ],
    targets: [
        // The canonical JSON of the log format: a parser and one writer, nothing else.
        .target(
            name: "SinmungoJSON",
            swiftSettings: strict
        ),
        .target(
            name: "SinmungoCore",
            dependencies: ["SinmungoJSON"],
            swiftSettings: strict
        ),
        .target(
            name: "SinmungoViews",
            dependencies: ["SinmungoCore"],
            swiftSettings: strict
        ),
        .target(
            name: "SinmungoStore",
            dependencies: [
                "SinmungoJSON",
                "SinmungoCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The replay path reads columns through SQLite's C API, without a Swift value per field.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // The white paper: the year's figures as the report page and the desk print them.
        .target(
            name: "SinmungoReport",
            dependencies: ["SinmungoCore", "SinmungoViews", .product(name: "Mustache", package: "swift-mustache")],
            swiftSettings: strict
        ),
        // The desk: the officers', auditors' and statistics staff's pages, served over HTTP.
        .target(
            name: "SinmungoDesk",
            dependencies: [
                "SinmungoCore", "SinmungoStore", "SinmungoViews", "SinmungoReport", "SinmungoPostgres",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // PostgreSQL's own C client, from the system (libpq-dev): no build time of its own.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // The log on a PostgreSQL server: many offices, one chain each.
        .target(
            name: "SinmungoPostgres",
            dependencies: [
                "CLibPQ", "SinmungoCore", "SinmungoStore", "SinmungoJSON",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // Its own program, so that the command-line tool builds without a web server.
        .executableTarget(
            name: "sinmungo-desk",
            dependencies: [
                "SinmungoCore", "SinmungoDesk", "SinmungoPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Scripts/bench-json.sh: the hand-written JSON reader against Foundation's.
        .executableTarget(
            name: "sinmungo-json-bench",
            dependencies: ["SinmungoCore", "SinmungoJSON"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "sinmungo",
            dependencies: [
                "SinmungoCore",
                "SinmungoStore",
                "SinmungoViews",
                "SinmungoReport",
                "SinmungoPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "CSV", package: "CSV.swift"),
            ],
            swiftSettings: strict
        ),
        // Test doubles and the checks every store must pass; never linked into the tool.
        .target(
            name: "SinmungoTesting",
            dependencies: ["SinmungoCore", "SinmungoStore"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SinmungoJSONTests",
            dependencies: ["SinmungoJSON"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SinmungoCoreTests",
            dependencies: ["SinmungoJSON", "SinmungoCore", "SinmungoTesting"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SinmungoViewsTests",
            dependencies: ["SinmungoCore", "SinmungoViews"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SinmungoDeskTests",
            dependencies: [
                "SinmungoDesk", "SinmungoCore", "SinmungoStore", "SinmungoViews", "SinmungoReport", "SinmungoPostgres", "SinmungoTesting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SinmungoReportTests",
            dependencies: ["SinmungoReport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SinmungoStoreTests",
            dependencies: [
                "SinmungoCore", "SinmungoStore", "SinmungoViews", "SinmungoTesting",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["Resources"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SinmungoPostgresTests",
            dependencies: ["SinmungoCore", "SinmungoStore", "SinmungoViews", "SinmungoPostgres", "SinmungoTesting"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SinmungoCLITests",
            dependencies: [
                "sinmungo", "SinmungoCore", "SinmungoStore", "SinmungoTesting", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["Snapshots"],
            swiftSettings: strict
        ),
    ]
)
