using Pmh.Modules.Pages;

namespace Pmh.Vaccination.Pages;

/// <summary>The texts of the citizen's questionnaire page (<c>/me/questionnaire</c>).</summary>
public static class QuestionnaireTexts
{
    public static readonly LocalText Title = new("予診票（予防接種の前に）", "Pre-vaccination questionnaire");
    public static readonly LocalText Intro = new(
        "接種の前に予診票に答え、ご自分のカードで送ります。送った予診票は接種を受ける医療機関の受付で表示されます。",
        "Answer the questionnaire before the vaccination and send it with your own card. The desk of the institution that vaccinates you sees it at reception.");
    public static readonly LocalText Vaccine = new("ワクチン", "Vaccine");
    public static readonly LocalText Choose = new("予診票を開く", "Open the questionnaire");
    public static readonly LocalText NoSuchVaccine = new("このワクチンの予診票はありません。", "There is no questionnaire for this vaccine.");
    public static readonly LocalText DoseNumber = new("何回目の接種か", "Which dose (number)");
    public static readonly LocalText AnsweredBy = new("記入した人（本人、または保護者の氏名と続柄）", "Answered by (yourself, or the guardian's name and relation)");
    public static readonly LocalText Yes = new("はい", "Yes");
    public static readonly LocalText No = new("いいえ", "No");
    public static readonly LocalText Required = new("（必須）", "(required)");
    public static readonly LocalText WordingNote = new("質問の文言について", "About the wording");
    public static readonly LocalText Send = new("カードで確認して送る", "Prove with the card and send");
    public static readonly LocalText Accepted = new("予診票を受け付けました。", "The questionnaire was accepted.");
    public static readonly LocalText QuestionnaireId = new("予診票の番号", "Questionnaire id");
    public static readonly LocalText ValidUntil = new("有効期限（日本時間）", "Valid until (Japan time)");
    public static readonly LocalText Attention = new("医師が確認する回答", "Answers the doctor will look at");
    public static readonly LocalText Refused = new("送れませんでした", "The questionnaire was not sent");
    public static readonly LocalText Another = new("別の予診票に答える", "Answer another questionnaire");
    public static readonly LocalText Link = new("予診票に答える", "Answer a pre-vaccination questionnaire");
}
