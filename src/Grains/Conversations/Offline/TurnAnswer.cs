using AgenteVendedor.Catalog;

namespace AgenteVendedor.Conversations.Offline;

/// <summary>
/// The answer one turn gathers: the sentences its acts said, the last question asked (the reply ends
/// with it), the products it shows, its chat type and the order it placed.
/// </summary>
public sealed class TurnAnswer
{
    private readonly List<string> _said = [];
    private string? _question;
    private string _type = ChatTypes.General;

    public IReadOnlyList<Product> Products { get; set; } = [];

    public Guid? Order { get; set; }

    /// <summary>An act ended the turn (an order placed, a hand-off, a question that must be answered first).</summary>
    public bool Stop { get; set; }

    /// <summary>How many sentences were said so far.</summary>
    public int Count => _said.Count;

    /// <summary>A sentence of this act, the turn's type from now on, and the question the reply ends with (null: none).</summary>
    public void Say(string text, string type, string? question = null)
    {
        _said.Add(text);
        _type = type;
        _question = question;
    }

    /// <summary>A sentence that changes neither the type nor the question (a greeting, thanks).</summary>
    public void Add(string text) => _said.Add(text);

    public AgentReply Reply(string whenNothingSaid)
    {
        var parts = _said.ToList();
        if (_question is not null)
        {
            parts.Add(_question);
        }

        if (parts.Count == 0)
        {
            parts.Add(whenNothingSaid);
        }

        return new AgentReply(string.Join("\n", parts), _type, Products, Order);
    }
}
