/// The desk's pages, as Mustache templates kept in the code so an installed copy carries them.
/// `{{ }}` escapes HTML; `{{{ }}}` is used only for HTML the desk rendered itself.
enum DeskTemplates {
    static let all: [(String, String)] = [
        ("layout", layout), ("sign-in", signIn), ("work", work), ("case", casePage), ("new", newCase),
        ("audit", audit), ("audit-case", auditCase), ("statistics", statistics), ("problem", problem),
        ("privacy", privacy), ("form-fields", formFields),
    ]

    static let layout = """
        <!DOCTYPE html>
        <html lang="ko"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} - 영등포구 민원·제안 업무</title>
        <link rel="stylesheet" href="/static/desk.css">
        </head><body>
        <a class="skip" href="#main">본문 바로가기</a>
        <header class="bar">
        <p class="brand">영등포구 민원·제안 업무</p>
        {{#signedIn}}
        <nav aria-label="주 메뉴"><ul>
        {{#nav}}<li><a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a></li>{{/nav}}
        </ul></nav>
        <form method="post" action="/sign-out" class="sign-out">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <span>{{officer}} · {{roles}}</span> <button type="submit">로그아웃</button>
        </form>
        {{/signedIn}}
        </header>
        <main id="main">
        <h1>{{title}}</h1>
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        {{#problemText}}<p class="problem" role="alert">{{problemText}}</p>{{/problemText}}
        {{{content}}}
        </main>
        </body></html>

        """

    static let signIn = """
        <form method="post" action="/sign-in" class="card narrow">
        <input type="hidden" name="csrf" value="{{signInToken}}">
        <p><label for="officer">{{#serverLogin}}데이터베이스 로그인{{/serverLogin}}{{^serverLogin}}직원 번호{{/serverLogin}}</label><br><input id="officer" name="officer" autocomplete="username" required value="{{typedOfficer}}"></p>
        <p><label for="password">비밀번호</label><br><input id="password" name="password" type="password" autocomplete="current-password" required></p>
        <p><button type="submit">로그인</button></p>
        </form>

        """

    static let work = """
        <form method="post" action="/" class="filters" aria-label="찾기">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <p><label for="f-q">제목 검색</label><br><input id="f-q" name="q" value="{{filter.q}}"></p>
        <p><label for="f-kind">종류</label><br><select id="f-kind" name="kind"><option value="">전체</option>{{#kinds}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/kinds}}</select></p>
        <p><label for="f-status">상태</label><br><select id="f-status" name="status"><option value="">진행 중 전체</option>{{#statuses}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/statuses}}</select></p>
        <p><label for="f-department">부서</label><br><select id="f-department" name="department"><option value="">전체</option>{{#departments}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/departments}}</select></p>
        <p><label for="f-category">분야</label><br><select id="f-category" name="category"><option value="">전체</option>{{#categories}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/categories}}</select></p>
        <p><label for="f-from">접수일부터</label><br><input id="f-from" name="from" type="date" value="{{filter.from}}"></p>
        <p><label for="f-to">접수일까지</label><br><input id="f-to" name="to" type="date" value="{{filter.to}}"></p>
        <p><button type="submit">찾기</button></p>
        </form>
        <table>
        <caption>{{caption}} ({{count}})</caption>
        <thead><tr><th scope="col">번호</th><th scope="col">종류</th><th scope="col">상태</th><th scope="col">제목</th><th scope="col">부서</th><th scope="col">다음 할 일</th><th scope="col">기한</th><th scope="col" class="number">남은 날</th></tr></thead>
        <tbody>
        {{#rows}}<tr{{#overdue}} class="overdue"{{/overdue}}><td><a href="/cases/{{id}}">{{id}}</a></td><td>{{kind}}</td><td>{{status}}</td><td>{{title}}</td><td>{{department}}</td><td>{{task}}</td><td>{{due}}</td><td class="number">{{left}}{{#overdue}} (기한 지남){{/overdue}}</td></tr>
        {{/rows}}{{^rows}}<tr><td colspan="8">해당하는 건이 없습니다.</td></tr>{{/rows}}
        </tbody></table>
        {{#shortQuery}}<p class="note">두 글자 이하의 검색어는 색인 없이 제목을 모두 훑어 찾으므로 느릴 수 있습니다. 세 글자 이상이면 빠릅니다.</p>{{/shortQuery}}
        {{#pager}}<form method="post" action="/" class="pager" aria-label="쪽 넘기기">
        <input type="hidden" name="csrf" value="{{csrf}}">
        {{#hidden}}<input type="hidden" name="{{name}}" value="{{value}}">{{/hidden}}
        <p>{{pageText}}
        {{#previous}}<button type="submit" name="page" value="{{previous}}">이전 쪽</button>{{/previous}}
        {{#next}}<button type="submit" name="page" value="{{next}}">다음 쪽</button>{{/next}}</p>
        </form>{{/pager}}

        """

    static let casePage = """
        {{#hasChanges}}<section class="conflict" aria-labelledby="conflict-title">
        <h2 id="conflict-title">동료가 먼저 이 건을 바꾸었습니다</h2>
        <p>보고 결정하신 판({{decidedOn}}) 뒤에 다음 단계가 기록되었습니다. 아무것도 덮어쓰지 않았습니다. 바뀐 내용을 보고 다시 결정하십시오.</p>
        <ol>{{#changes}}<li>{{.}}</li>{{/changes}}</ol>
        </section>{{/hasChanges}}
        <dl class="facts">
        {{#facts}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/facts}}
        </dl>
        {{#mayOpenPersonalData}}
        <section aria-labelledby="personal-title"><h2 id="personal-title">개인정보</h2>
        {{#personalShown}}<dl class="facts">{{#personal}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/personal}}</dl><p class="note">이 열람은 접속기록에 남았습니다.</p>{{/personalShown}}
        {{^personalShown}}{{#personalStatus}}<p>{{personalStatus}}</p>{{/personalStatus}}
        <form method="post" action="/cases/{{id}}/personal-data">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <p><label for="purpose">열람 목적</label><br><select id="purpose" name="purpose">{{#purposes}}<option value="{{.}}">{{.}}</option>{{/purposes}}</select></p>
        <p><button type="submit">개인정보 열람 (기록됨)</button></p>
        </form>{{/personalShown}}
        </section>
        {{/mayOpenPersonalData}}
        <section aria-labelledby="history-title"><h2 id="history-title">경과</h2>
        <ol class="history">{{#history}}<li><span class="when">{{when}}</span> {{who}}: {{what}}</li>{{/history}}</ol>
        </section>
        {{#hasSteps}}<section aria-labelledby="steps-title"><h2 id="steps-title">다음 단계</h2>{{/hasSteps}}
        {{#steps}}
        <form method="post" action="/cases/{{id}}/steps/{{name}}" class="card step">
        <h3>{{label}}</h3>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="version" value="{{version}}">
        <input type="hidden" name="command" value="{{command}}">
        {{> form-fields}}
        <p><button type="submit">{{label}}</button></p>
        </form>
        {{/steps}}
        {{#hasSteps}}</section>{{/hasSteps}}

        """

    static let newCase = """
        {{#forms}}
        <form method="post" action="/new/{{name}}" class="card step">
        <h2>{{label}}</h2>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="command" value="{{command}}">
        {{> form-fields}}
        <p><button type="submit">{{label}}</button></p>
        </form>
        {{/forms}}

        """

    static let audit = """
        <dl class="facts">
        <dt>로그의 끝 (순번:해시)</dt><dd class="hash">{{head}}</dd>
        <dt>사건 수</dt><dd>{{caseCount}}</dd>
        </dl>
        <form method="post" action="/audit/verify" class="card">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <p><label for="anchor">보관한 앵커 (선택, 순번:해시)</label><br><input id="anchor" name="anchor" value="{{anchor}}"></p>
        <p><button type="submit">로그 검증</button></p>
        </form>
        {{#verification}}<p class="{{verificationClass}}" role="status">{{verification}}</p>{{/verification}}
        <form method="get" action="/audit/case" class="card">
        <p><label for="case">사건 번호</label><br><input id="case" name="id" required></p>
        <p><label for="as-of">기록 시점 (이때 사무실이 알던 것, 선택)</label><br><input id="as-of" name="asOf" type="datetime-local"></p>
        <p><label for="effective">업무 시점 (이날의 사실, 선택)</label><br><input id="effective" name="effective" type="datetime-local"></p>
        <p><button type="submit">경과 보기</button></p>
        </form>

        """

    static let auditCase = """
        <p>{{point}}</p>
        <dl class="facts">{{#facts}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/facts}}</dl>
        <table><caption>경과 (업무 시각과 기록 시각)</caption>
        <thead><tr><th scope="col">순번</th><th scope="col">업무 시각</th><th scope="col">기록 시각</th><th scope="col">담당</th><th scope="col">내용</th></tr></thead>
        <tbody>{{#history}}<tr><td>{{sequence}}</td><td>{{occurred}}</td><td>{{recorded}}</td><td>{{who}}</td><td>{{what}}</td></tr>{{/history}}
        {{^history}}<tr><td colspan="5">그 시점에는 기록이 없습니다.</td></tr>{{/history}}</tbody></table>
        <p><a href="/audit">감사 첫 화면으로</a></p>

        """

    static let statistics = """
        <form method="get" action="/statistics" class="filters">
        <p><label for="year">연도</label><br><input id="year" name="year" inputmode="numeric" value="{{year}}"></p>
        <p><button type="submit">보기</button></p>
        </form>
        {{{paper}}}

        """

    static let privacy = """
        <form method="get" action="/privacy" class="filters">
        <p><label for="month">점검할 달</label><br><input id="month" name="month" value="{{month}}" inputmode="numeric"></p>
        <p><button type="submit">보기</button></p>
        </form>
        <section aria-labelledby="erasures-title"><h2 id="erasures-title">결정을 기다리는 파기 요청 ({{pendingCount}}건)</h2>
        <ul>{{#pending}}<li><a href="/cases/{{id}}">{{id}}</a> {{requestedBy}}: {{reason}}</li>{{/pending}}{{^pending}}<li>없습니다.</li>{{/pending}}</ul>
        </section>
        <section aria-labelledby="records-title"><h2 id="records-title">{{month}} 접속기록 ({{count}}건, 살펴볼 것 {{flaggedCount}}건)</h2>
        <table><caption>개인정보 처리 기록 (개인정보의 안전성 확보조치 기준 제8조)</caption>
        <thead><tr><th scope="col">순번</th><th scope="col">시각</th><th scope="col">직원</th><th scope="col">계정</th><th scope="col">접속지</th><th scope="col">사건</th><th scope="col">업무</th><th scope="col">사유</th><th scope="col">살펴볼 점</th></tr></thead>
        <tbody>{{#records}}<tr{{#flagged}} class="overdue"{{/flagged}}><td>{{sequence}}</td><td>{{at}}</td><td>{{officer}}</td><td>{{account}}</td><td>{{host}}</td><td>{{case}}</td><td>{{task}}</td><td>{{reason}}</td><td>{{flags}}</td></tr>{{/records}}
        {{^records}}<tr><td colspan="9">이 달의 기록이 없습니다.</td></tr>{{/records}}</tbody></table>
        <form method="post" action="/privacy/checked?month={{month}}" class="card">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="month" value="{{month}}">
        <p><label for="note">점검 의견</label><br><textarea id="note" name="note" rows="2" required></textarea></p>
        <p><button type="submit">{{month}} 점검 완료 기록</button></p>
        </form>
        </section>

        """

    /// The fields of a step's or a new case's form: a list, a long text, a number or a line.
    static let formFields = """
        {{#fields}}
        <p><label for="{{name}}-{{field}}">{{label}}</label><br>
        {{#hasChoices}}<select id="{{name}}-{{field}}" name="{{field}}"{{#required}} required{{/required}}>{{#choices}}<option value="{{value}}">{{label}}</option>{{/choices}}</select>{{/hasChoices}}
        {{^hasChoices}}{{#long}}<textarea id="{{name}}-{{field}}" name="{{field}}" rows="3"{{#required}} required{{/required}}></textarea>{{/long}}{{^long}}<input id="{{name}}-{{field}}" name="{{field}}"{{#number}} type="number" min="1"{{/number}}{{#required}} required{{/required}}>{{/long}}{{/hasChoices}}
        </p>
        {{/fields}}

        """

    static let problem = """
        <p><a href="{{back}}">돌아가기</a></p>

        """
}
