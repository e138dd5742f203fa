import SinmungoReport

/// The desk's one style sheet, served from /static so the pages need no inline style and the
/// Content-Security-Policy can forbid it. Colours keep a contrast of at least 4.5:1 (WCAG AA).
enum DeskStyle {
    static let sheet =
        """
        * { box-sizing: border-box; }
        body { font-family: "Noto Sans CJK KR", "Noto Sans KR", "Apple SD Gothic Neo", "Malgun Gothic", sans-serif; margin: 0; color: #1d1d1d; background: #fff; line-height: 1.5; }
        .skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; z-index: 2; }
        .bar { display: flex; flex-wrap: wrap; align-items: center; gap: 1rem; padding: .6rem 1.2rem; background: #123d6a; color: #fff; }
        .bar a, .bar .brand { color: #fff; } .brand { margin: 0; font-weight: bold; }
        .bar ul { display: flex; gap: 1rem; list-style: none; margin: 0; padding: 0; }
        .bar a[aria-current="page"] { text-decoration: underline; text-underline-offset: .3rem; font-weight: bold; }
        .sign-out { margin-left: auto; } .sign-out button { margin-left: .5rem; }
        main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.2rem 3rem; }
        h1 { font-size: 1.5rem; }
        a { color: #0b4f8a; }
        .notice { background: #e8f3ea; border-left: 4px solid #2c6e3a; padding: .5rem .8rem; }
        .problem { background: #fdecea; border-left: 4px solid #a4261c; padding: .5rem .8rem; color: #5c130e; }
        .conflict { background: #fff6e0; border: 2px solid #8a5a00; padding: .5rem 1rem; margin-bottom: 1rem; }
        .card { border: 1px solid #c9c9c9; border-radius: 6px; padding: .6rem 1rem; margin: .8rem 0; }
        .narrow { max-width: 24rem; }
        .step h3 { margin: .2rem 0; font-size: 1.05rem; }
        .filters { display: flex; flex-wrap: wrap; gap: .2rem 1rem; align-items: flex-end; }
        .filters p { margin: .2rem 0; }
        input, select, textarea, button { font: inherit; }
        input, select, textarea { border: 1px solid #767676; border-radius: 4px; padding: .25rem .4rem; max-width: 100%; }
        textarea { width: 100%; }
        button { background: #123d6a; color: #fff; border: 0; border-radius: 4px; padding: .35rem .9rem; cursor: pointer; }
        button:focus, a:focus, input:focus, select:focus, textarea:focus { outline: 3px solid #e0a100; outline-offset: 1px; }
        .facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
        .facts dt { font-weight: bold; } .facts dd { margin: 0; }
        .hash { word-break: break-all; font-family: monospace; }
        .history { padding-left: 1.2rem; } .history .when { font-variant-numeric: tabular-nums; }
        tr.overdue td { background: #fdecea; }
        """ + "\n" + WhitePaper.styleSheet
}
