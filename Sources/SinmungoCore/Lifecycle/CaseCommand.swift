/// What an officer asks the engine to do to one case.
public enum CaseCommand: Equatable, Sendable {
    case filePetition(PetitionFiled)
    case endorse(count: Int)
    case holdSession(SessionHeld)
    case fileProposal(ProposalFiled)
    case review(department: String)
    case decline(ground: DeclineGround, reason: String?)
    case visit(Visited)
    /// `by` nil answers as the rules require: the mayor for a qualified petition, else the department.
    case answer(summary: String, by: Answerer?)
    case reflect(Reflected)
    case transfer(Transferred)
    case withdraw(Withdrawn)
    case markDuplicate(of: CaseID)
    case postRecord(RecordPosted)
    case correct(Corrected)
    case extend(Extended)
    /// Destroys the key of the case's person, so that the sealed data is unrecoverable.
    /// `request` names the data subject's request (개인정보 보호법 §36), when that is the ground.
    /// Asks for the erasure; a privacy officer, another person, decides it.
    case erasePersonalData(reason: String, request: String? = nil)
    /// Approves the erasure asked for: the key is destroyed.
    case approveErasure
    case declineErasure(reason: String)

    /// The kind of case the command creates, if it creates one.
    public var createdKind: CaseKind? {
        switch self {
        case .filePetition: .petition
        case .holdSession: .session
        case .fileProposal: .proposal
        case .postRecord: .record
        default: nil
        }
    }

    /// Other cases whose state the decision depends on.
    /// The steps of an erasure, which finish one whose key outlived its recorded step.
    public var isErasure: Bool {
        switch self {
        case .erasePersonalData, .approveErasure: true
        default: false
        }
    }

    public var references: [CaseID] {
        switch self {
        case .fileProposal(let filed): [filed.session]
        case .markDuplicate(let original): [original]
        case .postRecord(let posted): posted.about
        default: []
        }
    }
}
