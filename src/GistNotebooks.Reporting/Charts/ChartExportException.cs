namespace GistNotebooks.Reporting.Charts;

/// <summary>A chart could not be drawn to a static file: no Chromium, or Chromium failed or gave no drawing; the message says which.</summary>
public sealed class ChartExportException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public ChartExportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error behind it.</summary>
    public ChartExportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public ChartExportException()
        : base("A chart could not be drawn to a static file.")
    {
    }
}
