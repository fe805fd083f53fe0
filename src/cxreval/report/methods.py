"""The statistical methods a report uses, with their references: a paragraph to paste
into a paper (:func:`methods_text`) and the BibTeX entries it cites (:func:`methods_bibtex`).

:data:`REFERENCES` is the registry: one entry per published method, from which both the
text citation and the BibTeX entry are written (the keys are those of the docs'
``references.bib``). A report describes what it did as sentences, each naming the keys
it cites; this module numbers nothing and invents nothing beyond that.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["REFERENCES", "Reference", "methods_bibtex", "methods_text"]


@dataclass(frozen=True)
class Reference:
    """One publication: enough to write a citation and a BibTeX entry."""

    key: str
    kind: str  # "article", "book" or "inproceedings"
    authors: tuple[str, ...]  # "Last, First M."
    title: str
    venue: str  # journal, publisher or proceedings
    year: int
    volume: str = ""
    number: str = ""
    pages: str = ""
    doi: str = ""

    @property
    def short(self) -> str:
        """``DeLong et al. 1988``, ``Sun & Xu 2014``, ``Wilson 1927``."""
        last = [a.split(",")[0] for a in self.authors]
        names = (
            last[0]
            if len(last) == 1
            else " & ".join(last)
            if len(last) == 2
            else (f"{last[0]} et al.")
        )
        return f"{names} {self.year}"

    @property
    def citation(self) -> str:
        """The full reference as text."""
        authors = ", ".join(self.authors[:-1]) + (
            f" and {self.authors[-1]}" if len(self.authors) > 1 else self.authors[0]
        )
        where = self.venue
        if self.volume:
            where += f" {self.volume}"
            where += f"({self.number})" if self.number else ""
        if self.pages:
            where += f":{self.pages}"
        doi = f" doi:{self.doi}" if self.doi else ""
        return f"{authors} ({self.year}). {self.title}. {where}.{doi}"

    @property
    def bibtex(self) -> str:
        """The BibTeX entry."""
        venue = {"article": "journal", "book": "publisher", "inproceedings": "booktitle"}
        fields = [
            ("author", " and ".join(self.authors)),
            ("title", "{" + self.title + "}"),
            (venue[self.kind], self.venue),
            ("year", str(self.year)),
            ("volume", self.volume),
            ("number", self.number),
            ("pages", self.pages.replace("-", "--")),
            ("doi", self.doi),
        ]
        body = ",\n".join(f"  {name:<9}= {{{value}}}" for name, value in fields if value)
        return f"@{self.kind}{{{self.key},\n{body},\n}}"


_REFERENCES = [
    Reference("delong1988", "article",
              ("DeLong, Elizabeth R.", "DeLong, David M.", "Clarke-Pearson, Daniel L."),
              "Comparing the areas under two or more correlated receiver operating "
              "characteristic curves: a nonparametric approach",
              "Biometrics", 1988, "44", "3", "837-845", "10.2307/2531595"),
    Reference("sun2014", "article", ("Sun, Xu", "Xu, Weichao"),
              "Fast implementation of DeLong's algorithm for comparing the areas under "
              "correlated receiver operating characteristic curves",
              "IEEE Signal Processing Letters", 2014, "21", "11", "1389-1393",
              "10.1109/LSP.2014.2337313"),
    Reference("wilson1927", "article", ("Wilson, Edwin B.",),
              "Probable inference, the law of succession, and statistical inference",
              "Journal of the American Statistical Association", 1927, "22", "158",
              "209-212", "10.1080/01621459.1927.10502953"),
    Reference("clopper1934", "article", ("Clopper, C. J.", "Pearson, E. S."),
              "The use of confidence or fiducial limits illustrated in the case of the "
              "binomial", "Biometrika", 1934, "26", "4", "404-413",
              "10.1093/biomet/26.4.404"),
    Reference("agresti1998", "article", ("Agresti, Alan", "Coull, Brent A."),
              "Approximate is better than 'exact' for interval estimation of binomial "
              "proportions", "The American Statistician", 1998, "52", "2", "119-126",
              "10.1080/00031305.1998.10480550"),
    Reference("simel1991", "article",
              ("Simel, David L.", "Samsa, Gregory P.", "Matchar, David B."),
              "Likelihood ratios with confidence: sample size estimation for diagnostic "
              "test studies", "Journal of Clinical Epidemiology", 1991, "44", "8",
              "763-770", "10.1016/0895-4356(91)90128-V"),
    Reference("woolf1955", "article", ("Woolf, Barnet",),
              "On estimating the relation between blood group and disease",
              "Annals of Human Genetics", 1955, "19", "4", "251-253",
              "10.1111/j.1469-1809.1955.tb01348.x"),
    Reference("efron1993", "book", ("Efron, Bradley", "Tibshirani, Robert J."),
              "An Introduction to the Bootstrap", "Chapman & Hall", 1993,
              doi="10.1201/9780429246593"),
    Reference("efron1987", "article", ("Efron, Bradley",),
              "Better bootstrap confidence intervals",
              "Journal of the American Statistical Association", 1987, "82", "397",
              "171-185", "10.1080/01621459.1987.10478410"),
    Reference("holm1979", "article", ("Holm, Sture",),
              "A simple sequentially rejective multiple test procedure",
              "Scandinavian Journal of Statistics", 1979, "6", "2", "65-70"),
    Reference("brier1950", "article", ("Brier, Glenn W.",),
              "Verification of forecasts expressed in terms of probability",
              "Monthly Weather Review", 1950, "78", "1", "1-3",
              "10.1175/1520-0493(1950)078<0001:VOFEIT>2.0.CO;2"),
    Reference("guo2017", "inproceedings",
              ("Guo, Chuan", "Pleiss, Geoff", "Sun, Yu", "Weinberger, Kilian Q."),
              "On calibration of modern neural networks",
              "Proceedings of the 34th International Conference on Machine Learning "
              "(PMLR 70)", 2017, pages="1321-1330"),
    Reference("vickers2006", "article", ("Vickers, Andrew J.", "Elkin, Elena B."),
              "Decision curve analysis: a novel method for evaluating prediction models",
              "Medical Decision Making", 2006, "26", "6", "565-574",
              "10.1177/0272989X06295361"),
    Reference("hand2001", "article", ("Hand, David J.", "Till, Robert J."),
              "A simple generalisation of the area under the ROC curve for multiple class "
              "classification problems", "Machine Learning", 2001, "45", "2", "171-186",
              "10.1023/A:1010920819831"),
    Reference("matthews1975", "article", ("Matthews, B. W.",),
              "Comparison of the predicted and observed secondary structure of T4 phage "
              "lysozyme", "Biochimica et Biophysica Acta (BBA) - Protein Structure", 1975,
              "405", "2", "442-451", "10.1016/0005-2795(75)90109-9"),
    Reference("youden1950", "article", ("Youden, W. J.",), "Index for rating diagnostic tests",
              "Cancer", 1950, "3", "1", "32-35",
              "10.1002/1097-0142(1950)3:1<32::AID-CNCR2820030106>3.0.CO;2-3"),
    Reference("brown2001", "article",
              ("Brown, Lawrence D.", "Cai, T. Tony", "DasGupta, Anirban"),
              "Interval estimation for a binomial proportion", "Statistical Science", 2001,
              "16", "2", "101-133", "10.1214/ss/1009213286"),
    Reference("newcombe1998single", "article", ("Newcombe, Robert G.",),
              "Two-sided confidence intervals for the single proportion: comparison of "
              "seven methods", "Statistics in Medicine", 1998, "17", "8", "857-872",
              "10.1002/(SICI)1097-0258(19980430)17:8<857::AID-SIM777>3.0.CO;2-E"),
    Reference("cohen1960", "article", ("Cohen, Jacob",),
              "A coefficient of agreement for nominal scales",
              "Educational and Psychological Measurement", 1960, "20", "1", "37-46",
              "10.1177/001316446002000104"),
    Reference("fleiss1969", "article",
              ("Fleiss, Joseph L.", "Cohen, Jacob", "Everitt, B. S."),
              "Large sample standard errors of kappa and weighted kappa",
              "Psychological Bulletin", 1969, "72", "5", "323-327", "10.1037/h0028106"),
    Reference("robin2011", "article",
              ("Robin, Xavier", "Turck, Natacha", "Hainard, Alexandre", "Tiberti, Natalia",
               "Lisacek, Frédérique", "Sanchez, Jean-Charles", "Müller, Markus"),
              "pROC: an open-source package for R and S+ to analyze and compare ROC curves",
              "BMC Bioinformatics", 2011, "12", "", "77", "10.1186/1471-2105-12-77"),
    Reference("mcclish1989", "article", ("McClish, Donna Katzman",),
              "Analyzing a portion of the ROC curve", "Medical Decision Making", 1989, "9",
              "3", "190-195", "10.1177/0272989X8900900307"),
    Reference("dodd2003", "article", ("Dodd, Lori E.", "Pepe, Margaret S."),
              "Partial AUC estimation and regression", "Biometrics", 2003, "59", "3",
              "614-623", "10.1111/1541-0420.00071"),
    Reference("pepe2009", "article", ("Pepe, Margaret S.", "Longton, Gary", "Janes, Holly"),
              "Estimation and comparison of receiver operating characteristic curves",
              "The Stata Journal", 2009, "9", "1", "1-16", "10.1177/1536867X0900900101"),
    Reference("obuchowski1997", "article", ("Obuchowski, Nancy A.",),
              "Nonparametric analysis of clustered ROC curve data", "Biometrics", 1997,
              "53", "2", "567-578", "10.2307/2533958"),
    Reference("rao1992", "article", ("Rao, J. N. K.", "Scott, A. J."),
              "A simple method for the analysis of clustered binary data", "Biometrics",
              1992, "48", "2", "577-585", "10.2307/2532311"),
    Reference("davison1997", "book", ("Davison, A. C.", "Hinkley, D. V."),
              "Bootstrap Methods and their Application", "Cambridge University Press", 1997,
              doi="10.1017/CBO9780511802843"),
    Reference("field2007", "article", ("Field, Christopher A.", "Welsh, Alan H."),
              "Bootstrapping clustered data",
              "Journal of the Royal Statistical Society: Series B (Statistical Methodology)",
              2007, "69", "3", "369-390", "10.1111/j.1467-9868.2007.00593.x"),
    Reference("irvin2019", "inproceedings",
              ("Irvin, Jeremy", "Rajpurkar, Pranav", "Ko, Michael", "Yu, Yifan",
               "Ciurea-Ilcus, Silviana", "Chute, Chris", "Marklund, Henrik",
               "Haghgoo, Behzad", "Ball, Robyn", "Shpanskaya, Katie", "Seekins, Jayne",
               "Mong, David A.", "Halabi, Safwan S.", "Sandberg, Jesse K.", "Jones, Ricky",
               "Larson, David B.", "Langlotz, Curtis P.", "Patel, Bhavik N.",
               "Lungren, Matthew P.", "Ng, Andrew Y."),
              "CheXpert: a large chest radiograph dataset with uncertainty labels and "
              "expert comparison",
              "Proceedings of the AAAI Conference on Artificial Intelligence", 2019, "33",
              "1", "590-597", "10.1609/aaai.v33i01.3301590"),
    Reference("newcombe1998difference", "article", ("Newcombe, Robert G.",),
              "Interval estimation for the difference between independent proportions: "
              "comparison of eleven methods", "Statistics in Medicine", 1998, "17", "8",
              "873-890", "10.1002/(SICI)1097-0258(19980430)17:8<873::AID-SIM779>3.0.CO;2-I"),
    Reference("cochran1954", "article", ("Cochran, William G.",),
              "The combination of estimates from different experiments", "Biometrics",
              1954, "10", "1", "101-129", "10.2307/3001666"),
    Reference("seyyed2021", "article",
              ("Seyyed-Kalantari, Laleh", "Zhang, Haoran", "McDermott, Matthew B. A.",
               "Chen, Irene Y.", "Ghassemi, Marzyeh"),
              "Underdiagnosis bias of artificial intelligence algorithms applied to chest "
              "radiographs in under-served patient populations", "Nature Medicine", 2021,
              "27", "12", "2176-2182", "10.1038/s41591-021-01595-0"),
]  # fmt: skip

#: key -> :class:`Reference`, for every method a report can name.
REFERENCES = {ref.key: ref for ref in _REFERENCES}

#: ``ci_method`` of a proportion -> (its name, the key of its reference).
PROPORTION_REFERENCES = {
    "wilson": ("Wilson score", "wilson1927"),
    "clopper-pearson": ("Clopper-Pearson exact", "clopper1934"),
    "agresti-coull": ("Agresti-Coull", "agresti1998"),
    "normal": ("normal-approximation (Wald)", ""),
    "jeffreys": ("Jeffreys", "brown2001"),
    "wilson-cc": ("continuity-corrected Wilson score", "newcombe1998single"),
}


def _cited(sentences: Sequence[tuple[str, Sequence[str]]]) -> list[str]:
    """The keys cited, in order of first citation."""
    keys: list[str] = []
    for _, cites in sentences:
        keys += [k for k in cites if k and k not in keys]
    return keys


def methods_text(sentences: Sequence[tuple[str, Sequence[str]]]) -> str:
    """A methods paragraph: each sentence with its citations, then the references.

    Parameters
    ----------
    sentences : sequence of (str, sequence of str)
        ``(sentence, keys of REFERENCES it cites)``; the sentence ends without its full
        stop, which is written after the citation.

    Examples
    --------
    >>> from cxreval.report.methods import methods_text
    >>> text = methods_text([("The AUC interval is DeLong's", ["delong1988"])])
    >>> print(text)  # doctest: +ELLIPSIS
    The AUC interval is DeLong's (DeLong et al. 1988).
    <BLANKLINE>
    References
    DeLong, Elizabeth R., DeLong, David M. and Clarke-Pearson, Daniel L. (1988). ...
    """
    parts = []
    for sentence, cites in sentences:
        refs = "; ".join(REFERENCES[k].short for k in cites if k)
        parts.append(f"{sentence} ({refs})." if refs else f"{sentence}.")
    keys = _cited(sentences)
    text = " ".join(parts)
    if keys:
        text += "\n\nReferences\n" + "\n".join(REFERENCES[k].citation for k in keys)
    return text


def methods_bibtex(sentences: Sequence[tuple[str, Sequence[str]]]) -> str:
    """The BibTeX entries the sentences cite, in order of first citation.

    Examples
    --------
    >>> from cxreval.report.methods import methods_bibtex
    >>> print(methods_bibtex([("Holm's method", ["holm1979"])]))
    @article{holm1979,
      author   = {Holm, Sture},
      title    = {{A simple sequentially rejective multiple test procedure}},
      journal  = {Scandinavian Journal of Statistics},
      year     = {1979},
      volume   = {6},
      number   = {2},
      pages    = {65--70},
    }
    """
    return "\n\n".join(REFERENCES[k].bibtex for k in _cited(sentences))
