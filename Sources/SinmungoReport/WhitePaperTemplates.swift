/// The white paper's Mustache templates. They live in the code rather than in resource files
/// so that a copy of the tool installed anywhere carries them. `{{ }}` escapes HTML; the one
/// unescaped kind of value, `{{{ }}}`, is a chart that `BarChart` wrote with its own escaping.
enum WhitePaperTemplates {
    static let all: [(String, String)] = [
        ("white-paper", page), ("white-paper-body", body), ("white-paper-style", style),
    ]

    static let page = """
        <!DOCTYPE html>
        <html lang="ko"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{year}}년 영등포구 구민 소통 백서</title>
        <style>
        {{> white-paper-style}}
        </style></head><body>
        {{> white-paper-body}}
        </body></html>

        """

    static let body = """
        <header class="paper-header">
        <h1>{{year}}년 구민 소통 백서</h1>
        <p class="subtitle">영등포신문고 · 찾아가는 영등포1번가 · 타운홀미팅</p>
        </header>
        <main>
        <section aria-labelledby="paper-figures">
        <h2 id="paper-figures">1. 한눈에 보는 {{year}}년</h2>
        <div class="figures">
        {{#cards}}<div class="figure"><span>{{label}}</span> <b>{{value}}</b>{{unit}}{{#note}}<small>{{note}}</small>{{/note}}</div>
        {{/cards}}
        </div>
        <table class="figures-table">
        <caption>연간 총계{{#hasPrevious}}와 전년 대비{{/hasPrevious}}{{^hasPrevious}} (전년 기록이 이 로그에 없어 비교하지 않음){{/hasPrevious}}</caption>
        <thead><tr><th scope="col">항목</th><th scope="col">단위</th><th scope="col" class="number">{{year}}년</th>{{#hasPrevious}}<th scope="col" class="number">{{previousYear}}년</th><th scope="col" class="number">증감</th>{{/hasPrevious}}</tr></thead>
        <tbody>
        {{#totals}}<tr><th scope="row">{{label}}</th><td>{{unit}}</td><td class="number">{{value}}</td>{{#hasPrevious}}<td class="number">{{previous}}</td><td class="number">{{change}}</td>{{/hasPrevious}}</tr>
        {{/totals}}
        </tbody></table>
        </section>

        <section aria-labelledby="paper-monthly">
        <h2 id="paper-monthly">2. 월별 접수</h2>
        <figure>{{{monthlyChart}}}</figure>
        <table>
        <caption>월별 접수 (단위: 건)</caption>
        <thead><tr><th scope="col">월</th><th scope="col" class="number">영등포신문고</th><th scope="col" class="number">찾아가는 영등포1번가</th><th scope="col" class="number">타운홀미팅</th><th scope="col" class="number">계</th></tr></thead>
        <tbody>
        {{#monthlyRows}}<tr><th scope="row">{{label}}</th><td class="number">{{board}}</td><td class="number">{{outreach}}</td><td class="number">{{townhall}}</td><td class="number">{{total}}</td></tr>
        {{/monthlyRows}}
        </tbody></table>
        <p class="note">월은 일이 일어난 날(업무 시각)의 한국 표준시 달입니다. 청원은 영등포신문고, 제안은 그것을 받은 모임의 경로로 셉니다.</p>
        </section>

        <section aria-labelledby="paper-handling">
        <h2 id="paper-handling">3. 처리와 답변</h2>
        <table>
        <caption>답변과 처리 기간</caption>
        <thead><tr><th scope="col">항목</th><th scope="col" class="number">{{year}}년</th>{{#hasPrevious}}<th scope="col" class="number">{{previousYear}}년</th>{{/hasPrevious}}</tr></thead>
        <tbody>
        {{#handling}}<tr><th scope="row">{{label}}</th><td class="number">{{value}}</td>{{#hasPrevious}}<td class="number">{{previous}}</td>{{/hasPrevious}}</tr>
        {{/handling}}
        </tbody></table>
        <p class="note">기한 내 답변율은 그해 답변한 건 가운데 법정 처리 기한(공휴일 제외, 연장 포함) 안에 답변한 건의 비율입니다.</p>
        <figure>{{{answerDaysChart}}}</figure>
        </section>

        <section aria-labelledby="paper-declines">
        <h2 id="paper-declines">4. 불수리 {{declinedCount}}건</h2>
        <div class="tables">
        <table><caption>사유별 (단위: 건)</caption>
        <thead><tr><th scope="col">사유</th><th scope="col" class="number">건수</th></tr></thead><tbody>
        {{#declinesByGround}}<tr><th scope="row">{{label}}</th><td class="number">{{count}}</td></tr>
        {{/declinesByGround}}{{^declinesByGround}}<tr><td colspan="2">없음</td></tr>{{/declinesByGround}}
        </tbody></table>
        <table><caption>부서별 (단위: 건)</caption>
        <thead><tr><th scope="col">부서</th><th scope="col" class="number">건수</th></tr></thead><tbody>
        {{#declinesByDepartment}}<tr><th scope="row">{{label}}</th><td class="number">{{count}}</td></tr>
        {{/declinesByDepartment}}{{^declinesByDepartment}}<tr><td colspan="2">없음</td></tr>{{/declinesByDepartment}}
        </tbody></table>
        <table><caption>분야별 (단위: 건)</caption>
        <thead><tr><th scope="col">분야</th><th scope="col" class="number">건수</th></tr></thead><tbody>
        {{#declinesByCategory}}<tr><th scope="row">{{label}}</th><td class="number">{{count}}</td></tr>
        {{/declinesByCategory}}{{^declinesByCategory}}<tr><td colspan="2">없음</td></tr>{{/declinesByCategory}}
        </tbody></table>
        </div>
        </section>

        <section aria-labelledby="paper-outcomes">
        <h2 id="paper-outcomes">5. 정책 반영 결과</h2>
        <figure>{{{outcomeChart}}}</figure>
        <table><caption>정책 반영 결과 (단위: 건)</caption>
        <thead><tr><th scope="col">결과</th><th scope="col" class="number">{{year}}년</th>{{#hasPrevious}}<th scope="col" class="number">{{previousYear}}년</th>{{/hasPrevious}}</tr></thead><tbody>
        {{#outcomes}}<tr><th scope="row">{{label}}</th><td class="number">{{value}}</td>{{#hasPrevious}}<td class="number">{{previous}}</td>{{/hasPrevious}}</tr>
        {{/outcomes}}
        </tbody></table>
        </section>

        <section aria-labelledby="paper-sessions">
        <h2 id="paper-sessions">6. 현장 소통: 찾아가는 영등포1번가와 타운홀미팅</h2>
        <figure>{{{outreachChart}}}</figure>
        <table><caption>찾아가는 영등포1번가 분야별 (모두 {{outreachSessions}}회, {{outreachAttendees}}명)</caption>
        <thead><tr><th scope="col">분야</th><th scope="col" class="number">횟수 (회)</th><th scope="col" class="number">참석 구민 (명)</th></tr></thead><tbody>
        {{#outreachRows}}<tr><th scope="row">{{field}}</th><td class="number">{{sessions}}</td><td class="number">{{attendees}}</td></tr>
        {{/outreachRows}}{{^outreachRows}}<tr><td colspan="3">없음</td></tr>{{/outreachRows}}
        </tbody></table>
        <figure>{{{townhallChart}}}</figure>
        <table><caption>타운홀미팅 주제 분야별 (모두 {{townhallSessions}}회, {{townhallAttendees}}명)</caption>
        <thead><tr><th scope="col">분야</th><th scope="col" class="number">횟수 (회)</th><th scope="col" class="number">참석 구민 (명)</th></tr></thead><tbody>
        {{#townhallRows}}<tr><th scope="row">{{field}}</th><td class="number">{{sessions}}</td><td class="number">{{attendees}}</td></tr>
        {{/townhallRows}}{{^townhallRows}}<tr><td colspan="3">없음</td></tr>{{/townhallRows}}
        </tbody></table>
        <p class="note">두 모임은 분야를 따로 나눕니다. 찾아가는 영등포1번가는 구민이 고른 분야, 타운홀미팅은 논의한 사업의 분야입니다.</p>
        </section>

        <section aria-labelledby="paper-reflected">
        <h2 id="paper-reflected">7. 정책에 반영된 청원과 제안 ({{reflectedCount}}건)</h2>
        <table class="reflected">
        <thead><tr><th scope="col">번호</th><th scope="col">제목</th><th scope="col">부서</th><th scope="col">결과</th><th scope="col">반영 사업</th></tr></thead>
        <tbody>
        {{#reflectedRows}}<tr><td class="case-id">{{id}}</td><td>{{title}}</td><td>{{department}}</td><td>{{outcome}}</td><td>{{policy}}</td></tr>
        {{/reflectedRows}}{{^reflectedRows}}<tr><td colspan="5">없음</td></tr>{{/reflectedRows}}
        </tbody></table>
        </section>
        </main>
        <footer class="paper-footer">Sinmungo {{program}} · 기준 로그 {{head}} · 개인정보는 담지 않았습니다.</footer>

        """

    static let style = """
        body { font-family: "Noto Sans CJK KR", "Noto Sans KR", "Apple SD Gothic Neo", "Malgun Gothic", sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #222; line-height: 1.5; }
        h1 { font-size: 1.6rem; margin-bottom: 0; } .subtitle { margin-top: .2rem; color: #444; }
        h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #999; }
        .figures { display: grid; grid-template-columns: repeat(4, 1fr); gap: .6rem; margin-bottom: 1rem; }
        .figure { background: #f3f6fa; padding: .6rem .8rem; border-radius: 6px; }
        .figure span { display: block; font-size: .85rem; } .figure b { font-size: 1.5rem; margin-right: .15rem; }
        .figure small { display: block; font-size: .75rem; color: #444; }
        figure { margin: 1rem 0; } svg { max-width: 100%; height: auto; }
        .chart-title { font-size: 14px; font-weight: bold; fill: #222; } .axis, .legend { font-size: 11px; fill: #444; }
        .value { font-size: 11px; fill: #222; } .grid { stroke: #e3e3e3; }
        table { border-collapse: collapse; width: 100%; font-size: .85rem; margin: .6rem 0; }
        caption { text-align: left; font-weight: bold; padding: .3rem 0; }
        td, th { border-bottom: 1px solid #ddd; padding: .3rem; text-align: left; font-weight: normal; }
        thead th { border-bottom: 2px solid #888; font-weight: bold; }
        .case-id { white-space: nowrap; }
        .number { text-align: right; font-variant-numeric: tabular-nums; }
        .tables { display: grid; grid-template-columns: repeat(3, 1fr); gap: 1rem; }
        .note { font-size: .8rem; color: #444; }
        .paper-footer { margin-top: 2rem; font-size: .75rem; color: #555; word-break: break-all; }
        @page { size: A4; margin: 16mm 14mm; }
        @media print {
          body { margin: 0; max-width: none; padding: 0; font-size: 9.5pt; }
          h2 { break-after: avoid; page-break-after: avoid; }
          figure, table, .figure { break-inside: avoid; page-break-inside: avoid; }
          .figures { grid-template-columns: repeat(4, 1fr); }
          .figure { border: 1px solid #bbb; background: none; }
          section { break-inside: auto; }
          svg { width: 100%; }
        }
        """
}
