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
        .library(name: "SinmungoCore", targets: ["SinmungoCore"]),
        .library(name: "SinmungoStore", targets: ["SinmungoStore"]),
        .library(name: "SinmungoViews", targets: ["SinmungoViews"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", exact: "2.5.2"),
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
                "CLibPQ", "SinmungoCore", "SinmungoStore",
                .product(name: "Crypto", package: "swift-crypto"),
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
