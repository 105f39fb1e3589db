"""Who may read and change an area's handlingsplan (predicates take (user, area)).

The area's coordinators and the administrators keep it; everyone may read a fastställd
version on the area's public page (views/public.py), which needs no rule."""

import rules

from parties.rules import is_area_coordinator, is_samverk_admin

can_edit_area_plan = is_samverk_admin | is_area_coordinator

rules.add_perm("areaplans.view_area_plan", can_edit_area_plan)
rules.add_perm("areaplans.edit_area_plan", can_edit_area_plan)
