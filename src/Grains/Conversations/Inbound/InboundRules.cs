using AgenteVendedor.Channels;

namespace AgenteVendedor.Conversations.Inbound;

/// <summary>What one message asks of the conversation: text for the agent, a notice to send, a person to take over.</summary>
public sealed record InboundStep(string? AgentText, string? Notice = null, bool HandsOff = false);

/// <summary>
/// What each kind of message gets. Words (texto, ubicacion) and captions are answered by the agent; a voice note by its
/// transcription, a photo without caption by its description as "¿Tienen …?". Without a model: a voice note gets a kind
/// notice and waits for a person; a photo without caption is asked about in words (the agent can go on); a document, or a
/// video without caption, is acknowledged and waits for a person (someone has to look at it). Stickers, reactions and
/// kinds we do not read are stored and shown with no reply.
/// </summary>
public static class InboundRules
{
    public const string CannotListen = "Recibí tu nota de voz, ¡gracias! Todavía no puedo escuchar audios: ¿me lo escribes, por favor? "
        + "También le pedí a una persona del equipo que la escuche y te responda.";

    public const string CannotSee = "Recibí tu foto, ¡gracias! Todavía no puedo ver imágenes: ¿me escribes el nombre del producto que buscas? "
        + "Así te digo si lo tenemos y a qué precio.";

    public const string FileReceived = "Recibí tu archivo, ¡gracias! Una persona del equipo lo va a revisar y te responde por aquí.";

    /// <summary>"[imagen]", "[nota de voz]"…: the text the payload readers give a message that has no words of its own.</summary>
    public static bool IsMarker(string text) => text.Length > 1 && text[0] == '[' && text[^1] == ']';

    /// <summary>Whether the kind is answered at all (a read receipt with typing is sent only for a batch that is).</summary>
    public static bool Answers(string kind) => kind is not (MessageKinds.Sticker or MessageKinds.Reaction or MessageKinds.Other);

    public static InboundStep For(string kind, string text, Understood read) => kind switch
    {
        // A catalog cart (order) is read as its text; the conversation prices it from the catalog.
        MessageKinds.Text or MessageKinds.Location or MessageKinds.Order => new InboundStep(text),
        MessageKinds.Image when !IsMarker(text) => new InboundStep(text),
        MessageKinds.Image when read.Description is { } description => new InboundStep($"¿Tienen {description}?"),
        MessageKinds.Image => new InboundStep(null, CannotSee),
        MessageKinds.Audio when read.Transcription is { } words => new InboundStep(words),
        MessageKinds.Audio => new InboundStep(null, CannotListen, HandsOff: true),
        MessageKinds.Video when !IsMarker(text) => new InboundStep(text),
        MessageKinds.Video or MessageKinds.Document => new InboundStep(null, FileReceived, HandsOff: true),
        _ => new InboundStep(null),
    };
}
