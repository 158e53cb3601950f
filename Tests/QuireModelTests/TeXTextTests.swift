import Testing

@testable import QuireModel

@Suite("TeX to Unicode")
struct TeXTextTests {
  @Test("accents, special letters, escapes, dashes, quotes and protective braces", arguments: [
    (#"{\"o}"#, "ö"), (#"\'{e}"#, "é"), (#"\'e"#, "é"), (#"{\ss}"#, "ß"), (#"Stra\ss e"#, "Straße"),
    (#"\&"#, "&"), ("pages 1--10", "pages 1–10"), ("a---b", "a—b"), (#"{\c{c}}"#, "ç"), (#"{\L}ukasz"#, "Łukasz"),
    (#"{\'\i}"#, "í"), (#"\v{s}"#, "š"), (#"\~n"#, "ñ"), (#"{\aa}"#, "å"), (#"{\o}"#, "ø"),
    ("{G}aussian {P}rocesses", "Gaussian Processes"), ("``quoted''", "“quoted”"), ("a~b", "a b"),
    (#"50\% of \$5"#, "50% of $5"), (#"\emph{very} \textbf{bold}"#, "very bold"),
    (#"Erd{\H{o}}s"#, "Erdős"), ("plain text", "plain text"),
  ])
  func conversions(tex: String, expected: String) {
    #expect(TeXText.toUnicode(tex) == expected)
  }

  @Test("math stays readable and unknown commands are kept as written")
  func mathAndUnknown() {
    #expect(TeXText.toUnicode(#"Sparse $\ell_1$ recovery"#) == #"Sparse $\ell_1$ recovery"#)
    #expect(TeXText.toUnicode(#"as in \cite{Gregor10}"#) == #"as in \cite{Gregor10}"#)
  }
}

@Suite("BibTeX entries as papers")
struct BibTeXListingTests {
  @Test("names: Last, First; First Last; braces; and others")
  func names() {
    #expect(BibTeXEntry.names("Hardt, Moritz and Ma, Tengyu and others") == ["Moritz Hardt", "Tengyu Ma"])
    #expect(BibTeXEntry.names("Sanjeev Arora and {Barnes and Noble}") == ["Sanjeev Arora", "Barnes and Noble"])
    #expect(BibTeXEntry.names(#"Erd{\H{o}}s, P{\'a}l"#) == ["Pál Erdős"])
    #expect(BibTeXEntry.names("King, Jr., Martin Luther") == ["Martin Luther King, Jr."])
  }

  @Test("an entry becomes a paper with title, authors, venue, year, abstract and links")
  func listing() throws {
    let text = #"""
      @inproceedings{arora2017,
        title = {Generalization and Equilibrium in {G}enerative {A}dversarial Nets ({GANs})},
        author = {Arora, Sanjeev and Ge, Rong and Liang, Yingyu and Ma, Tengyu and Zhang, Yi},
        booktitle = {Proceedings of the 34th International Conference on Machine Learning},
        year = {2017},
        doi = {10.5555/3305381.3305404},
        eprint = {1703.00573}, archivePrefix = {arXiv},
        abstract = {We show that training of generative adversarial network (GAN) may not
                    have good generalization properties.}
      }
      """#
    let entry = try #require(BibTeXParser(file: "a.bib").parse(text).entries.first)
    let listing = entry.listing(file: "a.bib")
    #expect(listing.title == "Generalization and Equilibrium in Generative Adversarial Nets (GANs)")
    #expect(listing.authors == ["Sanjeev Arora", "Rong Ge", "Yingyu Liang", "Tengyu Ma", "Yi Zhang"])
    #expect(listing.venue == "Proceedings of the 34th International Conference on Machine Learning")
    #expect(listing.year == 2017)
    #expect(listing.abstract == "We show that training of generative adversarial network (GAN) may not have good generalization properties.")
    #expect(listing.links.map(\.url) == ["https://doi.org/10.5555/3305381.3305404", "https://arxiv.org/abs/1703.00573"])
    #expect(listing.source == SourceLocation(file: "a.bib", line: 1))
  }
}
