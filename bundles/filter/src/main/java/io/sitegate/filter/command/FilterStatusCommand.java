package io.sitegate.filter.command;

import io.sitegate.filter.internal.FilterComponent;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code sitegate:filter-status}. */
@Command(scope = "sitegate", name = "filter-status", description = "Shows the outbound filter's mode, rule count, protected endpoints and the counters of each rule group.")
@Service
public class FilterStatusCommand implements Action {
    @Reference(optional = true)
    FilterComponent filter;

    @Override
    public Object execute() throws Exception {
        System.out.print(Filters.require(filter).status());
        return null;
    }
}
