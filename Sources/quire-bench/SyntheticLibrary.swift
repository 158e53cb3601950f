import Foundation
import QuireModel

/// A small, fast, seeded random source (SplitMix64): the same seed gives the same library on
/// every machine, so measurements compare.
struct SeededRandom: RandomNumberGenerator {
  var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Libraries of research papers made up to realistic sizes: abstracts of 800 to 1,600
/// characters with some non-ASCII words, 1 to 6 authors, 0 to 4 tags from about 50, and a
/// share of papers read.
enum SyntheticLibrary {
  static let words: [String] = {
    let base = """
      we show that the of and a in for is on with by this as are from be an which our can
      neural network networks deep learning generalization bound bounds gradient descent
      stochastic training data model models theory convex nonconvex optimization random
      features kernel approximation function functions layer layers error sample complexity
      adversarial generative equilibrium distribution loss algorithm analysis results linear
      matrix rank sparse robust estimation inference bayesian prior posterior variational
      representation representations invariance equivariant convolutional recurrent attention
      transformer embedding manifold geometry curvature topology spectral graph graphs
      clustering regression classification margin regularization dropout normalization batch
      initialization overparameterized underparameterized interpolation memorization capacity
      expressivity depth width architecture residual skip connection pruning quantization
      compression distillation transfer meta reinforcement policy value reward agent
      exploration exploitation bandit regret minimax saddle point convergence rate rates
      asymptotic nonasymptotic concentration inequality inequalities martingale entropy
      information mutual divergence wasserstein transport optimal coupling measure measures
      operator operators hilbert banach space spaces norm norms dual primal lagrangian
      constraint constraints feasible projection proximal mirror accelerated momentum
      adaptive learning-rate schedule warmup annealing temperature sampling langevin
      diffusion score denoising autoencoder encoder decoder latent variable variables
      mixture gaussian process processes kernelized ridge lasso elastic net support vector
      machine machines tree trees forest boosting ensemble ensembles calibration uncertainty
      robustness perturbation perturbations certified verification privacy differential
      federated distributed parallel asynchronous communication efficient scalable
      large-scale benchmark benchmarks empirical experiments experimental evaluation
      theoretical provable guarantees guarantee lower upper tight sharp minimal necessary
      sufficient condition conditions assumption assumptions smooth lipschitz strongly
      """
    return base.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
      + ["Erdős", "Rényi", "théorème", "naïve", "Poincaré", "Schrödinger", "Gödel", "Hölder", "Fréchet", "Lévy"]
  }()

  static let givenNames = ["Ana", "Sanjeev", "Tengyu", "Moritz", "Yi", "Rong", "Chiyuan", "Samy", "Raja", "Guillermo",
    "Joan", "Jeremias", "Vardan", "Yaniv", "Nadav", "Amnon", "Sébastien", "Zoë", "Jürgen", "Łukasz"]
  static let familyNames = ["Arora", "Ma", "Hardt", "Recht", "Zhang", "Bengio", "Ge", "Liang", "Giryes", "Sapiro",
    "Bruna", "Sulam", "Papyan", "Romano", "Elad", "Cohen", "Shashua", "Bubeck", "Müller", "Schmidhuber", "Kaiser",
    "Smith", "Nguyen", "Kim", "Silva", "Rossi", "Novak", "Dubois", "García", "Ivanova"]
  static let venues = ["NeurIPS", "ICML", "ICLR", "COLT", "JMLR", "Annals of Statistics", "IEEE Transactions on Signal Processing",
    "AISTATS", "UAI", "arXiv preprint", "Neural Networks", "SIAM Journal on Optimization"]
  static let tags: [String] = (0..<50).map { "tag\($0)" } + ["theory", "gan", "to-read", "optimization"]

  /// `count` papers, with the reading state a user might have: about a third read, about
  /// half tagged.
  static func make(count: Int, seed: UInt64 = 42) -> (listings: [Listing], reading: [Int: PaperState]) {
    var random = SeededRandom(seed: seed)
    var listings: [Listing] = []
    listings.reserveCapacity(count)
    var reading: [Int: PaperState] = [:]
    let start = PublishedDate(year: 2015, month: 1, day: 1).date.timeIntervalSince1970
    for index in 0..<count {
      var title: [String] = []
      for _ in 0..<Int.random(in: 5...12, using: &random) { title.append(words.randomElement(using: &random)!) }
      // Unique titles, as real ones nearly always are, so no two papers merge.
      title.append("(\(index))")
      var listing = Listing(title: title.joined(separator: " ").capitalizedFirst, source: SourceLocation(file: "synthetic", line: index + 1))
      for _ in 0..<Int.random(in: 1...6, using: &random) {
        listing.authors.append(givenNames.randomElement(using: &random)! + " " + familyNames.randomElement(using: &random)!)
      }
      listing.year = Int.random(in: 1990...2026, using: &random)
      listing.venue = venues.randomElement(using: &random)
      let published = PublishedDate(Date(timeIntervalSince1970: start + Double(Int.random(in: 0..<4000, using: &random)) * 86_400))
      listing.published = published
      listing.added = published.date
      let length = Int.random(in: 800...1600, using: &random)
      var abstract = ""
      abstract.reserveCapacity(length + 16)
      while abstract.utf8.count < length {
        if !abstract.isEmpty { abstract += Int.random(in: 0..<12, using: &random) == 0 ? ". " : " " }
        abstract += words.randomElement(using: &random)!
      }
      listing.abstract = abstract + "."
      listings.append(listing)
      let read = Int.random(in: 0..<3, using: &random) == 0
      let tagCount = Int.random(in: 0...4, using: &random) * Int.random(in: 0...1, using: &random)
      if read || tagCount > 0 {
        var state = PaperState(status: read ? .read : .unread)
        for _ in 0..<tagCount {
          let tag = tags.randomElement(using: &random)!
          if !state.tags.contains(tag) { state.tags.append(tag) }
        }
        reading[index] = state
      }
    }
    return (listings, reading)
  }
}

extension String {
  fileprivate var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
