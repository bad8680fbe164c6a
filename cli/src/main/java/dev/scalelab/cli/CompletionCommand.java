package dev.scalelab.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** Prints a shell completion script (picocli's AutoComplete). */
@Command(name = "completion", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "Print a shell completion script.",
        descriptionHeading = "%n",
        description = {
                "Prints a completion script for scalelab's commands and options.",
                "Load it in the current shell with:  source <(scalelab completion bash)",
                "or install it with:  scalelab completion bash > ~/.local/share/bash-completion/completions/scalelab",
                "For zsh the script first loads bashcompinit, then the same completions."})
final class CompletionCommand implements Callable<Integer> {
    enum Shell { bash, zsh }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", defaultValue = "bash", paramLabel = "SHELL",
            description = "bash or zsh (default: ${DEFAULT-VALUE}).")
    Shell shell;

    @Override
    public Integer call() {
        String script = AutoComplete.bash("scalelab", spec.root().commandLine());
        if (shell == Shell.zsh) {
            script = "autoload -U +X bashcompinit && bashcompinit\n" + script;
        }
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
